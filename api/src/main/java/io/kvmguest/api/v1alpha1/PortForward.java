package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One host port forwarded to a guest port (qemu hostfwd). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PortForward(
    @JsonPropertyDescription("TCP (default) or UDP.")
    @SchemaFrom(type = Enums.Protocol.class) @Default("TCP")
    String protocol,

    @JsonPropertyDescription("Port on the node, 1-65535, on the address the node agent forwards on (its --port-forward-address, default 127.0.0.1). Unique per protocol among the guest's forwards, and among all guests on the node: a guest asking for a port another guest holds is refused (HostPortInUse) until that guest stops.")
    @Required @Min(Limits.MIN_PORT) @Max(Limits.MAX_PORT)
    Integer hostPort,

    @JsonPropertyDescription("Port in the guest, 1-65535.")
    @Required @Min(Limits.MIN_PORT) @Max(Limits.MAX_PORT)
    Integer guestPort) {

  public PortForward {
    protocol = protocol == null ? "TCP" : protocol;
  }
}
