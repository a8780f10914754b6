package io.kvmguest.operator.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded polling for tests (the pom has no Awaitility). */
public final class Poll {
  private Poll() {}

  /** Probes every 100 ms until {@code done} holds; fails with the last value after {@code timeout}. */
  public static <T> T until(Duration timeout, String what, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      try {
        last = probe.get();
        if (done.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; probe failed", e);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /** Probes every 100 ms for {@code duration} and fails as soon as {@code invariant} does not hold. */
  public static <T> void holds(Duration duration, String what, Supplier<T> probe, Predicate<T> invariant) {
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      T value = probe.get();
      if (!invariant.test(value)) {
        throw new AssertionError("expected " + what + " for " + duration + "; but saw: " + value);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted checking " + what, e);
      }
    }
  }
}
