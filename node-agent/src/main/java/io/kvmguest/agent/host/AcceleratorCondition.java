package io.kvmguest.agent.host;

import io.kvmguest.api.kube.ClusterContract;

/**
 * What the agent tells the user about the accelerator choice, to become a status condition.
 *
 * @param type {@value ClusterContract#ACCELERATOR_FALLBACK_CONDITION} (auto fell back to TCG) or {@value #KVM_UNAVAILABLE} (kvm refused)
 * @param reason one CamelCase word
 * @param message human-readable detail naming the missing host capabilities
 */
public record AcceleratorCondition(String type, String reason, String message) {
  public static final String KVM_UNAVAILABLE = "KvmUnavailable";
}
