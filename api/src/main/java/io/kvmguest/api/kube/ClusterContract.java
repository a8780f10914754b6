package io.kvmguest.api.kube;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Set;

/**
 * The names docs/cluster-contract.md fixes between the operator and the node agents, in one
 * place for both halves.
 */
public final class ClusterContract {
  private ClusterContract() {}

  /** Guest label naming the node whose agent runs it. */
  public static final String NODE_LABEL = VirtualGuest.NODE_LABEL;
  /** Guest finalizer the operator adds on dispatch; the node's agent removes it after cleanup. */
  public static final String NODE_CLEANUP_FINALIZER = "kvmguest.io/node-cleanup";
  /** Node label: "true" while the agent runs and its bridge is ready. */
  public static final String AGENT_READY_LABEL = "kvmguest.io/agent-ready";
  /** Node label: "true" when KVM is usable on the node. */
  public static final String KVM_LABEL = "kvmguest.io/kvm";
  /** Node annotation: bytes of memory guests may use. */
  public static final String ALLOCATABLE_MEMORY_ANNOTATION = "kvmguest.io/allocatable-memory";
  /** Node annotation: CPUs guests may use. */
  public static final String ALLOCATABLE_CPUS_ANNOTATION = "kvmguest.io/allocatable-cpus";
  /** Node annotation: RFC 3339 time of the agent's last report. */
  public static final String HEARTBEAT_ANNOTATION = "kvmguest.io/heartbeat";
  /**
   * Condition types the agent owns; every other type (Valid, Scheduled, ...) is the operator's. A new
   * agent condition must be added here (and to the contract): the agent's sink writes only these types.
   */
  public static final Set<String> AGENT_CONDITION_TYPES = Set.of("Ready", "AcceleratorFallback", "NetworkAttached", "VncLocked");
}
