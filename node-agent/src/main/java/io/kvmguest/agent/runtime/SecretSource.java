package io.kvmguest.agent.runtime;

import io.kvmguest.api.v1alpha1.SecretKeyRef;
import java.util.Optional;

/** Reads a key of a Secret in a guest's namespace (the VNC password). */
public interface SecretSource {
  Optional<String> read(String namespace, SecretKeyRef ref);

  /** For an agent without access to Secrets (run from files). */
  SecretSource NONE = (namespace, ref) -> Optional.empty();
}
