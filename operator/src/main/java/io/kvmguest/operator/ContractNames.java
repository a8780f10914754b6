package io.kvmguest.operator;

import io.kvmguest.api.v1alpha1.VirtualGuest;

/**
 * Names fixed by docs/cluster-contract.md that the operator reads or writes. The node agent uses
 * the same strings; they belong in the api module once both sides import them from there.
 */
public final class ContractNames {
  private ContractNames() {}

  /** Label on a guest naming the node whose agent runs it. */
  public static final String NODE_LABEL = VirtualGuest.NODE_LABEL;
  /** Finalizer the operator adds on dispatch; the node's agent removes it after cleanup. */
  public static final String FINALIZER = "kvmguest.io/node-cleanup";

  public static final String AGENT_READY_LABEL = "kvmguest.io/agent-ready";
  public static final String KVM_LABEL = "kvmguest.io/kvm";
  public static final String ALLOCATABLE_MEMORY = "kvmguest.io/allocatable-memory";
  public static final String ALLOCATABLE_CPUS = "kvmguest.io/allocatable-cpus";
  public static final String HEARTBEAT = "kvmguest.io/heartbeat";

  public static final String VALID = "Valid";
  public static final String SCHEDULED = "Scheduled";
  public static final String READY = "Ready";

  /** Reason of Ready=Unknown, the one Ready condition the operator writes. */
  public static final String NODE_UNREACHABLE = "NodeUnreachable";
  public static final String NO_NODE_FITS = "NoNodeFits";
}
