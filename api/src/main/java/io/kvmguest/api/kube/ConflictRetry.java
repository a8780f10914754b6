package io.kvmguest.api.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a read-modify-write again when the API server answers 409 Conflict (the write was guarded by
 * a resourceVersion that is no longer current, see {@link GuardedPatches}), a bounded number of
 * times, sleeping a random time (full jitter, doubling cap) in between so that two writers racing
 * for the same object do not collide in lockstep. The one retry loop of the operator's and the node
 * agent's writes. Other errors pass through at once.
 *
 * <p>Not final only so that the node agent's old {@code io.kvmguest.agent.kube.ConflictRetry} can
 * stand in for it until its last caller moves here.
 */
public class ConflictRetry {
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final AtomicLong conflicts = new AtomicLong();

  public ConflictRetry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** 10 attempts, 20 ms doubling to 1 s. */
  protected ConflictRetry() {
    this(10, Duration.ofMillis(20), Duration.ofSeconds(1));
  }

  /** 10 attempts, 20 ms doubling to 1 s. */
  public static ConflictRetry defaults() {
    return new ConflictRetry();
  }

  /**
   * {@code attempt} reads the latest object and writes with its resourceVersion.
   *
   * @throws IllegalStateException when the write still conflicts after the last attempt
   */
  public <T> T run(String what, Supplier<T> attempt) {
    for (int i = 1; ; i++) {
      try {
        return attempt.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        conflicts.incrementAndGet();
        if (i >= maxAttempts) {
          throw new IllegalStateException(what + ": still conflicting after " + maxAttempts + " attempts: " + e.getMessage(), e);
        }
        sleep(i);
      }
    }
  }

  /**
   * As {@link #run(String, Supplier)} for a writer that already holds a read of the object: the
   * first attempt works on {@code held} (it may well be current, and a read saved is a round trip
   * saved), each retry on {@code freshRead} (which may return null when the object is gone).
   */
  public <R, T> T run(String what, R held, Supplier<R> freshRead, Function<R, T> attempt) {
    AtomicBoolean first = new AtomicBoolean(true);
    return run(what, () -> attempt.apply(first.getAndSet(false) ? held : freshRead.get()));
  }

  /** How many writes were refused with 409 so far (each was retried or, the last, gave up). */
  public long conflicts() {
    return conflicts.get();
  }

  private void sleep(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), firstBackoff.toMillis() << Math.min(20, attempt - 1));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while retrying after a conflict", e);
    }
  }
}
