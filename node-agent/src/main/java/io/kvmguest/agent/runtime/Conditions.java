package io.kvmguest.agent.runtime;

import io.kvmguest.api.v1alpha1.GuestCondition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/** Kubernetes condition bookkeeping: lastTransitionTime moves only when status changes. Pure. */
final class Conditions {
  private Conditions() {}

  static List<GuestCondition> keepTransitionTimes(List<GuestCondition> previous, List<GuestCondition> next, Instant now,
      Long generation) {
    String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
    return next.stream().map(c -> {
      Optional<GuestCondition> before = previous.stream().filter(p -> p.type().equals(c.type())).findFirst();
      String since = before.filter(p -> p.status().equals(c.status())).map(GuestCondition::lastTransitionTime).orElse(nowText);
      return new GuestCondition(c.type(), c.status(), c.reason(), c.message(), since, generation);
    }).toList();
  }
}
