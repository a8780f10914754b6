package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A virtual NIC: its emulated model, its MAC address and what it is plugged into. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkInterface(
    @JsonPropertyDescription("Name of the interface, a DNS label unique within the guest.")
    @Required
    String name,

    @JsonPropertyDescription("Emulated NIC: virtio (default, fastest; Linux 2.6.24+ or Windows with virtio drivers), e1000 (Intel gigabit, works with almost any guest), e1000e, rtl8139 (oldest and slowest), ne2k_pci, pcnet, i82559er.")
    @SchemaFrom(type = Enums.NicModel.class) @Default("virtio")
    String model,

    @JsonPropertyDescription("Unicast MAC address such as 00:16:3e:51:fb:ce. Omit it to have one generated; either way it stays the guest's for its whole life and is unique in the cluster.")
    @Pattern(MacAddresses.PATTERN)
    String macAddress,

    @JsonPropertyDescription("What the NIC is connected to. Defaults to the node's bridge.")
    Network network) {

  public NetworkInterface {
    model = model == null ? "virtio" : model;
  }
}
