package io.kvmguest.agent.kube;

/**
 * The shared {@link io.kvmguest.api.kube.ConflictRetry} under its old name, kept only because
 * NodeAgentMain still names this one (it is being rewritten elsewhere, and must not be touched
 * meanwhile). Delete this class once NodeAgentMain uses {@code io.kvmguest.api.kube.ConflictRetry}.
 */
public final class ConflictRetry extends io.kvmguest.api.kube.ConflictRetry {
  private ConflictRetry() {}

  /** The shared defaults, see {@link io.kvmguest.api.kube.ConflictRetry#defaults()}. */
  public static ConflictRetry defaults() {
    return new ConflictRetry();
  }
}
