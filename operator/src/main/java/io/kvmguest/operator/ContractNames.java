package io.kvmguest.operator;

import io.kvmguest.api.kube.ClusterContract;

/**
 * Names fixed by docs/cluster-contract.md that the operator reads or writes, under the operator's
 * spelling; the shared strings live in {@link ClusterContract}.
 */
public final class ContractNames {
  private ContractNames() {}

  /** Label on a guest naming the node whose agent runs it. */
  public static final String NODE_LABEL = ClusterContract.NODE_LABEL;
  /** Finalizer the operator adds on dispatch; the node's agent removes it after cleanup. */
  public static final String FINALIZER = ClusterContract.NODE_CLEANUP_FINALIZER;

  public static final String AGENT_READY_LABEL = ClusterContract.AGENT_READY_LABEL;
  public static final String KVM_LABEL = ClusterContract.KVM_LABEL;
  public static final String ALLOCATABLE_MEMORY = ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION;
  public static final String ALLOCATABLE_CPUS = ClusterContract.ALLOCATABLE_CPUS_ANNOTATION;
  public static final String HEARTBEAT = ClusterContract.HEARTBEAT_ANNOTATION;

  public static final String VALID = "Valid";
  public static final String SCHEDULED = "Scheduled";
  public static final String READY = "Ready";

  /** Reason of Ready=Unknown, the one Ready condition the operator writes. */
  public static final String NODE_UNREACHABLE = "NodeUnreachable";
  public static final String NO_NODE_FITS = "NoNodeFits";
}
