package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** The guest's graphical console over VNC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vnc(
    @JsonPropertyDescription("Whether to export the console over VNC (default false). The node agent picks the display; status.vnc.address tells it.")
    @Default("false")
    Boolean enabled,

    @JsonPropertyDescription("Secret in the guest's namespace holding the VNC password (VNC uses only its first 8 characters). Required when the node agent's consoles listen on an address other than loopback (its --vnc-listen): the guest is refused without it. On loopback, without it the console has no password.")
    SecretKeyRef passwordSecretRef) {

  public Vnc {
    enabled = enabled != null && enabled;
  }
}
