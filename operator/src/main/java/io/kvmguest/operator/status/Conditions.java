package io.kvmguest.operator.status;

import io.kvmguest.api.v1alpha1.GuestCondition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style condition bookkeeping: replace the writer's own types, keep everyone else's. */
public final class Conditions {
  private Conditions() {}

  /**
   * {@code existing} with each of {@code updates} replacing the condition of its type (appended
   * when absent). lastTransitionTime moves only when the status value changes.
   */
  public static List<GuestCondition> merge(List<GuestCondition> existing, List<GuestCondition> updates, Instant now) {
    List<GuestCondition> result = new ArrayList<>(existing);
    for (GuestCondition update : updates) {
      Optional<GuestCondition> old = find(result, update.type());
      String since = old.filter(o -> Objects.equals(o.status(), update.status()))
          .map(GuestCondition::lastTransitionTime)
          .orElse(now.toString());
      GuestCondition stamped = new GuestCondition(update.type(), update.status(), update.reason(), update.message(), since, update.observedGeneration());
      int index = old.map(result::indexOf).orElse(-1);
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
}
