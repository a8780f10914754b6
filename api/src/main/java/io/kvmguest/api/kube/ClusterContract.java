package io.kvmguest.api.kube;

import static io.kvmguest.api.v1alpha1.VirtualGuest.GROUP;

import java.util.Set;

/**
 * The names docs/cluster-contract.md fixes between the operator, the node agents and users: labels,
 * annotations, the finalizer, condition types and shared reasons. The one spelling of each, used by
 * every module's main and test code.
 */
public final class ClusterContract {
  private ClusterContract() {}

  // Guest metadata

  /** Guest label naming the node whose agent runs it; the operator sets it on dispatch. */
  public static final String NODE_LABEL = GROUP + "/node";
  /** Guest finalizer the operator adds on dispatch; the node's agent removes it after cleanup. */
  public static final String NODE_CLEANUP_FINALIZER = GROUP + "/node-cleanup";
  /** Guest annotation the user sets ({@code Running}/{@code Stopped}) to start and stop a Manual guest; the agent reads it. */
  public static final String POWER_STATE_ANNOTATION = GROUP + "/power-state";
  /** Guest annotation the user sets: a new value asks the agent for one restart of a running guest. */
  public static final String RESTART_ANNOTATION = GROUP + "/restart";
  /** Guest annotation the user sets: {@code "true"} makes the agent keep a deleted guest's disk images on the node. */
  public static final String KEEP_DISKS_ANNOTATION = GROUP + "/keep-disks";

  // Node metadata, written by the node's agent and read by the operator

  /** Node label the agent writes: "true" while the agent runs and its bridge is ready. */
  public static final String AGENT_READY_LABEL = GROUP + "/agent-ready";
  /** Node label the agent writes: "true" when KVM is usable on the node. */
  public static final String KVM_LABEL = GROUP + "/kvm";
  /** Node annotation the agent writes: bytes of memory guests may use. */
  public static final String ALLOCATABLE_MEMORY_ANNOTATION = GROUP + "/allocatable-memory";
  /** Node annotation the agent writes: CPUs guests may use. */
  public static final String ALLOCATABLE_CPUS_ANNOTATION = GROUP + "/allocatable-cpus";
  /** Node annotation the agent writes: why it is degraded (status writes failing, guest list not complete); absent when healthy. */
  public static final String AGENT_DEGRADED_ANNOTATION = GROUP + "/agent-degraded";
  /**
   * Where each agent's heartbeat lives: a coordination.k8s.io Lease per node in the kubelet's own
   * lease namespace, named {@link #leaseName}, held by the node name and renewed every heartbeat
   * (the Node object changes only when its facts do).
   */
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  /** Label on the agents' Leases ("true"), which the operator watches. */
  public static final String AGENT_LEASE_LABEL = GROUP + "/agent-lease";

  /** The heartbeat Lease of the agent on {@code node}. */
  public static String leaseName(String node) {
    return "kvmguest-agent-" + node;
  }

  // Condition types

  /** Condition type the operator writes: whether the spec is valid. */
  public static final String VALID_CONDITION = "Valid";
  /** Condition type the operator writes: whether the guest is placed on a node. */
  public static final String SCHEDULED_CONDITION = "Scheduled";
  /** Condition type the agent writes (the operator writes only Ready=Unknown, {@link #NODE_UNREACHABLE_REASON}): whether qemu runs. */
  public static final String READY_CONDITION = "Ready";
  /** Condition type the agent writes: the guest runs under TCG because KVM is unusable. */
  public static final String ACCELERATOR_FALLBACK_CONDITION = "AcceleratorFallback";
  /** Condition type the agent writes: whether every bridge NIC of the guest is attached. */
  public static final String NETWORK_ATTACHED_CONDITION = "NetworkAttached";
  /** Condition type the agent writes: VNC is locked because its password is unavailable. */
  public static final String VNC_LOCKED_CONDITION = "VncLocked";
  /** Condition type the agent writes: the running qemu was started from an older spec; a restart applies the new one. */
  public static final String RESTART_REQUIRED_CONDITION = "RestartRequired";
  /** Condition type the agent writes: a failed step is being retried (transient error), with what and when. */
  public static final String RETRYING_CONDITION = "Retrying";
  /**
   * Condition types the agent owns; every other type (Valid, Scheduled, ...) is the operator's. A new
   * agent condition must be added here (and to the contract): the agent's sink writes only these types.
   */
  public static final Set<String> AGENT_CONDITION_TYPES =
      Set.of(READY_CONDITION, ACCELERATOR_FALLBACK_CONDITION, NETWORK_ATTACHED_CONDITION, VNC_LOCKED_CONDITION,
          RESTART_REQUIRED_CONDITION, RETRYING_CONDITION);

  // Shared reasons

  /** Reason of Ready=Unknown, the one Ready condition the operator writes, when the node's agent stops reporting. */
  public static final String NODE_UNREACHABLE_REASON = "NodeUnreachable";
  /** Reason of Scheduled=False the operator writes when no node fits the guest. */
  public static final String NO_NODE_FITS_REASON = "NoNodeFits";

  /** Reason of Ready=False while qemu restarts a guest that keeps crashing, with growing delays. */
  public static final String CRASH_LOOP_REASON = "CrashLoop";
  /** Reason of Ready=False while qemu has paused the guest (the message carries qemu's run state, e.g. io-error). */
  public static final String PAUSED_REASON = "Paused";

  // Event reasons the agent records on a guest

  public static final String EVENT_STARTED = "Started";
  public static final String EVENT_STOPPED = "Stopped";
  public static final String EVENT_CRASHED = "Crashed";
  public static final String EVENT_RESTARTED = "Restarted";
  public static final String EVENT_START_FAILED = "StartFailed";
  public static final String EVENT_PAUSED = "Paused";
  public static final String EVENT_RESUMED = "Resumed";
  public static final String EVENT_NETWORK_REPAIRED = "NetworkRepaired";
}
