package io.kvmguest.agent.runtime;

import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The status last handed out for one guest. A status is handed out when it changed, and every
 * {@link #REFRESH} anyway, so a status someone else overwrote is put right.
 */
final class SentStatus {
  static final Duration REFRESH = Duration.ofSeconds(30);

  private VirtualGuestStatus last;
  private Instant at;

  boolean due(VirtualGuestStatus status, Instant now) {
    return !status.equals(last) || at == null || now.isAfter(at.plus(REFRESH));
  }

  /** The conditions as last composed, so their transition times carry over. */
  List<GuestCondition> lastConditions() {
    return last == null ? List.of() : last.conditions();
  }

  void sent(VirtualGuestStatus status, Instant now) {
    last = status;
    at = now;
  }
}
