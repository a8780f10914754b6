package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A KVM/qemu guest that the operator places on a node and that node's agent runs. */
@JsonClassDescription("A KVM/qemu guest that the operator places on a node and that node's agent runs.")
@Group(VirtualGuest.GROUP)
@Version(VirtualGuest.VERSION)
@Plural("virtualguests")
@ShortNames("vg")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.nodeName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "IP", jsonPath = ".status.interfaces[0].ipAddress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class VirtualGuest extends CustomResource<VirtualGuestSpec, VirtualGuestStatus> implements Namespaced {
  public static final String GROUP = "kvmguest.io";
  public static final String VERSION = "v1alpha1";

  @Override
  @JsonPropertyDescription("The guest the user asks for: CPUs, memory, disks, CD-ROMs, boot order, NICs, console.")
  public VirtualGuestSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The guest as observed, written by the operator (placement, validity, MACs) and the node agent (runtime).")
  public VirtualGuestStatus getStatus() {
    return super.getStatus();
  }
}
