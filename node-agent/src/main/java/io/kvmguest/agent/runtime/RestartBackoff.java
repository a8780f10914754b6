package io.kvmguest.agent.runtime;

import java.time.Duration;
import java.time.Instant;

/**
 * When a guest's next start may happen, after qemu exits or a start fails. Pure and immutable.
 *
 * <p>A qemu that ran less than {@link #STABLE} counts as a crash in a row; the first restart is
 * at once (a killed guest comes back quickly), then 1 s, 2 s, 4 s ... up to {@link #CRASH_CAP}, so
 * a qemu that always dies at once restarts at most 10 times in 5 minutes. A transient start failure
 * (HTTP 5xx, disk full, a timeout) is retried after 1 s, 2 s, 4 s ... up to {@link #FAILURE_CAP}:
 * shorter, because the fix (space freed, server back) is outside the guest and should be picked up soon.
 */
public record RestartBackoff(int crashesInARow, int failuresInARow, Instant notBefore) {
  public static final Duration STABLE = Duration.ofSeconds(60);
  public static final Duration CRASH_CAP = Duration.ofMinutes(5);
  public static final Duration FAILURE_CAP = Duration.ofSeconds(30);
  /** Crashes in a row from which status says CrashLoop. */
  public static final int CRASH_LOOP_FROM = 3;

  public static final RestartBackoff NONE = new RestartBackoff(0, 0, Instant.MIN);

  /** qemu exited after running {@code ran}; an exit after a stable run starts the count afresh. */
  public RestartBackoff afterExit(Duration ran, Instant now) {
    int crashes = ran.compareTo(STABLE) >= 0 ? 1 : crashesInARow + 1;
    Duration delay = crashes <= 1 ? Duration.ZERO : doubling(crashes - 1, CRASH_CAP);
    return new RestartBackoff(crashes, 0, now.plus(delay));
  }

  /** A start failed in a way that may pass by itself. */
  public RestartBackoff afterFailure(Instant now) {
    int failures = failuresInARow + 1;
    return new RestartBackoff(crashesInARow, failures, now.plus(doubling(failures, FAILURE_CAP)));
  }

  /** qemu started: failures are over, crashes count on until it has run {@link #STABLE}. */
  public RestartBackoff afterStart() {
    return new RestartBackoff(crashesInARow, 0, Instant.MIN);
  }

  public boolean crashLooping() {
    return crashesInARow >= CRASH_LOOP_FROM;
  }

  public boolean mayStart(Instant now) {
    return !now.isBefore(notBefore);
  }

  /** 1 s, 2 s, 4 s ... for attempt 1, 2, 3 ..., never above {@code cap}. */
  private static Duration doubling(int attempt, Duration cap) {
    long seconds = 1L << Math.min(30, attempt - 1);
    return seconds >= cap.toSeconds() ? cap : Duration.ofSeconds(seconds);
  }
}
