package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs a read-modify-write again when the API server answers 409 Conflict, a bounded number of
 * times, sleeping a random time (full jitter, doubling cap) in between so that two writers racing
 * for the same object do not collide in lockstep.
 */
public final class ConflictRetry {
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration maxBackoff;

  public ConflictRetry(int maxAttempts, Duration firstBackoff, Duration maxBackoff) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    this.maxAttempts = maxAttempts;
    this.firstBackoff = firstBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** 10 attempts, 20 ms doubling to 1 s. */
  public static ConflictRetry defaults() {
    return new ConflictRetry(10, Duration.ofMillis(20), Duration.ofSeconds(1));
  }

  /** {@code attempt} reads the latest object and writes with its resourceVersion. */
  public <T> T run(String what, Supplier<T> attempt) {
    for (int i = 1; ; i++) {
      try {
        return attempt.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        if (i >= maxAttempts) {
          throw new IllegalStateException(what + ": still conflicting after " + maxAttempts + " attempts: " + e.getMessage(), e);
        }
        sleep(i);
      }
    }
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
