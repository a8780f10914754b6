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

    @JsonPropertyDescription("Port on the node, 1-65535, unique per protocol among the guest's forwards.")
    @Required @Min(Limits.MIN_PORT) @Max(Limits.MAX_PORT)
    Integer hostPort,

    @JsonPropertyDescription("Port in the guest, 1-65535.")
    @Required @Min(Limits.MIN_PORT) @Max(Limits.MAX_PORT)
    Integer guestPort) {

  public PortForward {
    protocol = protocol == null ? "TCP" : protocol;
  }
}
