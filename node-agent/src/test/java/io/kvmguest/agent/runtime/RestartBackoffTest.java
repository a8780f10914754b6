package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  @Test
  void aKilledGuestComesBackAtOnce() {
    RestartBackoff b = RestartBackoff.NONE.afterExit(Duration.ofMinutes(10), T0);
    assertTrue(b.mayStart(T0));
    assertFalse(b.crashLooping());
  }

  @Test
  void aQemuThatAlwaysDiesAtOnceRestartsAtMostTenTimesInFiveMinutesAndTheWaitIsCapped() {
    RestartBackoff b = RestartBackoff.NONE;
    Instant now = T0;
    List<Instant> starts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      starts.add(now);
      Instant died = now.plusMillis(500);
      b = b.afterStart().afterExit(Duration.ofMillis(500), died);
      now = b.notBefore().isAfter(died) ? b.notBefore() : died;
    }
    long inFiveMinutes = starts.stream().filter(t -> t.isBefore(T0.plus(Duration.ofMinutes(5)))).count();
    assertTrue(inFiveMinutes <= 10, "starts in the first 5 minutes: " + inFiveMinutes);
    Duration lastWait = Duration.between(starts.get(38).plusMillis(500), starts.get(39));
    assertEquals(RestartBackoff.CRASH_CAP, lastWait);
    assertTrue(b.crashLooping());
  }

  @Test
  void aStableRunStartsTheCountAfresh() {
    RestartBackoff b = RestartBackoff.NONE;
    for (int i = 0; i < 5; i++) {
      b = b.afterExit(Duration.ofSeconds(1), T0);
    }
    assertTrue(b.crashLooping());
    b = b.afterStart().afterExit(RestartBackoff.STABLE, T0);
    assertEquals(1, b.crashesInARow());
    assertTrue(b.mayStart(T0));
  }

  @Test
  void transientFailuresDoubleUpToTheirCap() {
    RestartBackoff b = RestartBackoff.NONE;
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      b = b.afterFailure(T0);
      waits.add(Duration.between(T0, b.notBefore()).toSeconds());
    }
    assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), waits);
    assertEquals(0, b.afterStart().failuresInARow());
  }
}
