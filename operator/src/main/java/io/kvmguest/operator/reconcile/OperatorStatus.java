package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies an {@link OperatorIntent} to a status, touching only operator-owned fields
 * (docs/cluster-contract.md): observedGeneration, nodeName, macAddresses, conditions Valid and
 * Scheduled, phase Pending (only where there is no phase yet) and Scheduled (only while the phase
 * is Pending or Scheduled, so the agent has not reported), and phase Unknown with Ready=Unknown
 * when the node is unreachable. Everything else is carried over as read. Pure.
 */
public final class OperatorStatus {
  private OperatorStatus() {}

  /** Phases that mean the agent has not reported this guest yet. */
  private static final Set<String> BEFORE_AGENT = Set.of("Pending", "Scheduled");

  public static VirtualGuestStatus apply(VirtualGuestStatus current, OperatorIntent intent, Instant now) {
    List<GuestCondition> updates = new ArrayList<>();
    updates.add(intent.valid());
    if (intent.scheduled() != null) {
      updates.add(intent.scheduled());
    }
    if (intent.phase() == OperatorIntent.PhaseIntent.UNKNOWN) {
      updates.add(new GuestCondition(ClusterContract.READY_CONDITION, "Unknown", ClusterContract.NODE_UNREACHABLE_REASON, intent.unreachable(), null, intent.generation()));
    }
    boolean agentSilent = current.phase() == null || BEFORE_AGENT.contains(current.phase());
    String phase = switch (intent.phase()) {
      case KEEP -> current.phase();
      case PENDING -> current.phase() == null ? "Pending" : current.phase();
      case SCHEDULED -> agentSilent ? "Scheduled" : current.phase();
      case UNKNOWN -> "Unknown";
    };
    return new VirtualGuestStatus(phase,
        intent.nodeName() != null ? intent.nodeName() : current.nodeName(),
        intent.generation(),
        Conditions.merge(current.conditions(), updates, now),
        current.interfaces(),
        intent.macAddresses() != null ? intent.macAddresses() : current.macAddresses(),
        current.vnc(),
        current.accelerator());
  }
}
