package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.api.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The Events an operator status write deserves: one per changed operator condition or phase. Pure. */
public final class Transitions {
  private Transitions() {}

  /** Reasons of the notes for a Valid=False and a Scheduled=True transition. */
  public static final String INVALID = "Invalid";
  public static final String SCHEDULED = "Scheduled";

  public record Note(String type, String reason, String message) {}

  public static List<Note> between(VirtualGuestStatus before, VirtualGuestStatus after) {
    List<Note> notes = new ArrayList<>();
    changed(before, after, ClusterContract.VALID_CONDITION).ifPresent(c -> notes.add("True".equals(c.status())
        ? new Note(GuestEvents.NORMAL, "Validated", c.message())
        : new Note(GuestEvents.WARNING, INVALID, c.message())));
    changed(before, after, ClusterContract.SCHEDULED_CONDITION).ifPresent(c -> notes.add("True".equals(c.status())
        ? new Note(GuestEvents.NORMAL, SCHEDULED, c.message())
        : new Note(GuestEvents.WARNING, "Unschedulable", c.message())));
    if ("Unknown".equals(after.phase()) && !"Unknown".equals(before.phase())) {
      String why = Conditions.find(after.conditions(), ClusterContract.READY_CONDITION).map(GuestCondition::message).orElse("node unreachable");
      notes.add(new Note(GuestEvents.WARNING, ClusterContract.NODE_UNREACHABLE_REASON, why));
    }
    return notes;
  }

  private static Optional<GuestCondition> changed(VirtualGuestStatus before, VirtualGuestStatus after, String type) {
    Optional<GuestCondition> old = Conditions.find(before.conditions(), type);
    Optional<GuestCondition> now = Conditions.find(after.conditions(), type);
    if (now.isEmpty()) {
      return Optional.empty();
    }
    boolean same = old.isPresent() && Objects.equals(old.get().status(), now.get().status())
        && Objects.equals(old.get().reason(), now.get().reason()) && Objects.equals(old.get().message(), now.get().message());
    return same ? Optional.empty() : now;
  }
}
