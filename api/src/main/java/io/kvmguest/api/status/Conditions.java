package io.kvmguest.api.status;

import io.kvmguest.api.v1alpha1.GuestCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Kubernetes condition bookkeeping shared by the operator and the node agent. The one rule both
 * sides follow: lastTransitionTime moves only when a condition's status value changes (a new
 * reason or message alone is not a transition). Times are whole seconds, as Kubernetes stores them,
 * so a rewrite of the same value never differs by sub-second noise. Pure.
 */
public final class Conditions {
  private Conditions() {}

  /**
   * {@code next} with each condition's lastTransitionTime taken from the condition of the same type
   * in {@code previous} when its status is unchanged, else {@code now}.
   */
  public static List<GuestCondition> keepTransitionTimes(List<GuestCondition> previous, List<GuestCondition> next, Instant now) {
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return next.stream().map(c -> withTransitionTime(c, find(previous, c.type())
        .filter(p -> Objects.equals(p.status(), c.status()))
        .map(GuestCondition::lastTransitionTime)
        .orElse(nowText))).toList();
  }

  /** As {@link #keepTransitionTimes(List, List, Instant)}, for a writer that computed every condition from one {@code generation}. */
  public static List<GuestCondition> keepTransitionTimes(List<GuestCondition> previous, List<GuestCondition> next, Instant now,
      Long generation) {
    return keepTransitionTimes(previous, next.stream().map(c -> withGeneration(c, generation)).toList(), now);
  }

  /**
   * {@code existing} with each of {@code updates} replacing the condition of its type in place
   * (appended when absent), transition times kept as {@link #keepTransitionTimes} says. For a
   * writer that states only some of its conditions and keeps the rest as they are.
   */
  public static List<GuestCondition> upsert(List<GuestCondition> existing, List<GuestCondition> updates, Instant now) {
    List<GuestCondition> result = new ArrayList<>(existing);
    for (GuestCondition stamped : keepTransitionTimes(existing, updates, now)) {
      int index = indexOf(result, stamped.type());
      if (index >= 0) {
        result.set(index, stamped);
      } else {
        result.add(stamped);
      }
    }
    return List.copyOf(result);
  }

  public static Optional<GuestCondition> find(List<GuestCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  public static boolean isTrue(List<GuestCondition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.status())).orElse(false);
  }

  private static int indexOf(List<GuestCondition> conditions, String type) {
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).type())) {
        return i;
      }
    }
    return -1;
  }

  private static GuestCondition withTransitionTime(GuestCondition c, String since) {
    return new GuestCondition(c.type(), c.status(), c.reason(), c.message(), since, c.observedGeneration());
  }

  private static GuestCondition withGeneration(GuestCondition c, Long generation) {
    return new GuestCondition(c.type(), c.status(), c.reason(), c.message(), c.lastTransitionTime(), generation);
  }
}
