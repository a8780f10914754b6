package io.kvmguest.agent.host;

/**
 * What the agent tells the user about the accelerator choice, to become a status condition.
 *
 * @param type {@value #FALLBACK} (auto fell back to TCG) or {@value #KVM_UNAVAILABLE} (kvm refused)
 * @param reason one CamelCase word
 * @param message human-readable detail naming the missing host capabilities
 */
public record AcceleratorCondition(String type, String reason, String message) {
  public static final String FALLBACK = "AcceleratorFallback";
  public static final String KVM_UNAVAILABLE = "KvmUnavailable";
}
