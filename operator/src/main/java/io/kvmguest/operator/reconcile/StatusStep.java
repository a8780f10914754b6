package io.kvmguest.operator.reconcile;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.status.ConflictSafeStatus;
import java.time.Clock;

/** Writes the operator's part of the status conflict-safely and records an Event per transition. */
public final class StatusStep {
  private final ConflictSafeStatus writer;
  private final GuestEvents events;
  private final Clock clock;

  public StatusStep(ConflictSafeStatus writer, GuestEvents events, Clock clock) {
    this.writer = writer;
    this.events = events;
    this.clock = clock;
  }

  /** The guest as stored after the write (the input when nothing changed or the guest is gone). */
  public VirtualGuest write(VirtualGuest guest, OperatorIntent intent) {
    var change = writer.update(guest, status -> OperatorStatus.apply(status, intent, clock.instant()));
    if (change.isEmpty()) {
      return guest;
    }
    if (change.get().written()) {
      for (Transitions.Note note : Transitions.between(change.get().before(), change.get().after())) {
        events.record(change.get().guest(), note.type(), note.reason(), note.message());
      }
    }
    return change.get().guest();
  }
}
