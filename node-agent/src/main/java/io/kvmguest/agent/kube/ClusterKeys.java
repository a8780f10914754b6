package io.kvmguest.agent.kube;

import io.kvmguest.api.kube.ClusterContract;
import java.util.Set;

/**
 * The contract names the node agent uses, under the agent's own spelling; the strings themselves
 * live in {@link ClusterContract}, shared with the operator.
 */
public final class ClusterKeys {
  private ClusterKeys() {}

  /** Guest label naming the node whose agent runs it. */
  public static final String NODE_LABEL = ClusterContract.NODE_LABEL;
  /** Guest finalizer the agent removes once the guest is powered off and cleaned up on its node. */
  public static final String NODE_CLEANUP_FINALIZER = ClusterContract.NODE_CLEANUP_FINALIZER;

  /** Node label: "true" while the agent runs and its bridge is ready. */
  public static final String AGENT_READY_LABEL = ClusterContract.AGENT_READY_LABEL;
  /** Node label: "true" when KVM is usable on the node. */
  public static final String KVM_LABEL = ClusterContract.KVM_LABEL;
  /** Node annotation: bytes of memory guests may use. */
  public static final String ALLOCATABLE_MEMORY_ANNOTATION = ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION;
  /** Node annotation: CPUs guests may use. */
  public static final String ALLOCATABLE_CPUS_ANNOTATION = ClusterContract.ALLOCATABLE_CPUS_ANNOTATION;
  /** Node annotation: RFC 3339 time of the agent's last report. */
  public static final String HEARTBEAT_ANNOTATION = ClusterContract.HEARTBEAT_ANNOTATION;

  /**
   * Condition types the agent owns; every other type (Valid, Scheduled, ...) is the operator's. A new
   * agent condition must be added here (and to the contract): the sink writes only these types.
   */
  public static final Set<String> AGENT_CONDITION_TYPES = ClusterContract.AGENT_CONDITION_TYPES;
}
