package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** qemu user-mode networking. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UserNetwork(
    @JsonPropertyDescription("Host ports forwarded into the guest.")
    List<PortForward> portForwards) {

  public UserNetwork {
    portForwards = Lists.orEmpty(portForwards);
  }
}
