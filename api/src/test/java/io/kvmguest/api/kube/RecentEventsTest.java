package io.kvmguest.api.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void forgetsTheLeastRecentlyUsedBeyondItsCapacity() {
    RecentEvents recent = new RecentEvents(Duration.ofMinutes(10), 2);
    recent.remember(key("a"), written("a"));
    recent.remember(key("b"), written("b"));
    recent.repeatOf(key("a"), T0);
    recent.remember(key("c"), written("c"));
    assertEquals(2, recent.size());
    assertTrue(recent.repeatOf(key("a"), T0).isPresent(), "used lately, kept");
    assertTrue(recent.repeatOf(key("b"), T0).isEmpty(), "least recently used, forgotten");
  }

  @Test
  void aRepeatCountsWithinTheWindowOnly() {
    RecentEvents recent = new RecentEvents(Duration.ofMinutes(10), 4096);
    recent.remember(key("a"), written("a"));
    assertEquals(2, recent.repeatOf(key("a"), T0.plus(Duration.ofMinutes(10))).orElseThrow().again(T0).count());
    assertTrue(recent.repeatOf(key("a"), T0.plus(Duration.ofMinutes(10)).plusSeconds(1)).isEmpty());
  }

  private static RecentEvents.Key key(String message) {
    return new RecentEvents.Key("uid", GuestEvents.NORMAL, "Started", message, "kvmguest-operator");
  }

  private static RecentEvents.Written written(String name) {
    return new RecentEvents.Written(name, 1, T0, T0);
  }
}
