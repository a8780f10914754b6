package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.api.status.StatusOwnership;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies an {@link OperatorIntent} to a status: composes the operator's part (observedGeneration,
 * nodeName, macAddresses, conditions Valid and Scheduled, Ready=Unknown when the node is
 * unreachable, the phase asked for) and merges it with {@link StatusOwnership#mergeOperator}, which
 * keeps the agent's part as read and decides whether the phase asked for may be written. Pure.
 */
public final class OperatorStatus {
  private OperatorStatus() {}

  public static VirtualGuestStatus apply(VirtualGuestStatus current, OperatorIntent intent, Instant now) {
    List<GuestCondition> updates = new ArrayList<>();
    updates.add(intent.valid());
    if (intent.scheduled() != null) {
      updates.add(intent.scheduled());
    }
    if (intent.phase() == OperatorIntent.PhaseIntent.UNKNOWN) {
      updates.add(new GuestCondition(ClusterContract.READY_CONDITION, "Unknown", ClusterContract.NODE_UNREACHABLE_REASON, intent.unreachable(), null, intent.generation()));
    }
    VirtualGuestStatus operatorPart = new VirtualGuestStatus(askedPhase(intent.phase()),
        intent.nodeName() != null ? intent.nodeName() : current.nodeName(),
        intent.generation(),
        // Conditions the intent does not state (Scheduled before placement is decided) stay as stored.
        Conditions.upsert(current.conditions(), updates, now),
        null,
        intent.macAddresses() != null ? intent.macAddresses() : current.macAddresses(),
        null,
        null);
    return StatusOwnership.mergeOperator(current, operatorPart);
  }

  /** The phase the operator asks for; null leaves it as stored. */
  private static String askedPhase(OperatorIntent.PhaseIntent phase) {
    return switch (phase) {
      case KEEP -> null;
      case PENDING -> "Pending";
      case SCHEDULED -> "Scheduled";
      case UNKNOWN -> "Unknown";
    };
  }
}
