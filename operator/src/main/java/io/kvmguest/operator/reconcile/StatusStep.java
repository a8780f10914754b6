package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.metrics.OperatorMetrics;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.operator.status.ConflictSafeStatus;
import java.time.Clock;

/**
 * Writes the operator's part of the status conflict-safely and records an Event per transition;
 * the transitions that are metrics (a new invalid verdict, Scheduled=True) are counted here too.
 */
public final class StatusStep {
  private final ConflictSafeStatus writer;
  private final GuestEvents events;
  private final Clock clock;
  private final OperatorMetrics metrics;

  public StatusStep(ConflictSafeStatus writer, GuestEvents events, Clock clock, OperatorMetrics metrics) {
    this.writer = writer;
    this.events = events;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The guest as stored after the write (the input when nothing changed or the guest is gone). */
  public VirtualGuest write(VirtualGuest guest, OperatorIntent intent) {
    var change = writer.update(guest, status -> OperatorStatus.apply(status, intent, clock.instant()));
    if (change.isEmpty()) {
      return guest;
    }
    if (change.get().written()) {
      VirtualGuest written = change.get().guest();
      for (Transitions.Note note : Transitions.between(change.get().before(), change.get().after())) {
        events.record(written, note.type(), note.reason(), note.message());
        count(written, note);
      }
    }
    return change.get().guest();
  }

  private void count(VirtualGuest written, Transitions.Note note) {
    switch (note.reason()) {
      case Transitions.INVALID -> Conditions.find(written.getStatus().conditions(), ClusterContract.VALID_CONDITION)
          .map(GuestCondition::reason).ifPresent(metrics::validationFailed);
      case Transitions.SCHEDULED -> metrics.scheduled(written.getMetadata().getUid());
      default -> { }
    }
  }
}
