package io.kvmguest.agent.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A classic histogram of durations (seconds) with fixed upper bounds; thread-safe. */
final class LatencyHistogram {
  /** Start latency: assignment seen to qemu started (image imports make the tail long). */
  static final List<Double> START_BOUNDS = List.of(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0);
  /** Boot latency: qemu started to the first verified IP (TCG boots take minutes). */
  static final List<Double> BOOT_BOUNDS = List.of(1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0);

  private final double[] bounds;
  private final long[] counts; // per bucket, not cumulative; the last is +Inf
  private double sum;

  LatencyHistogram(List<Double> bounds) {
    this.bounds = bounds.stream().mapToDouble(Double::doubleValue).toArray();
    this.counts = new long[this.bounds.length + 1];
  }

  synchronized void observe(Duration duration) {
    double seconds = Math.max(0, duration.toNanos() / 1e9);
    int i = 0;
    while (i < bounds.length && seconds > bounds[i]) {
      i++;
    }
    counts[i]++;
    sum += seconds;
  }

  synchronized Snapshot snapshot() {
    long[] cumulative = new long[counts.length];
    long running = 0;
    for (int i = 0; i < counts.length; i++) {
      running += counts[i];
      cumulative[i] = running;
    }
    return new Snapshot(bounds.clone(), cumulative, sum);
  }

  /** Upper bounds (without +Inf), cumulative counts (with +Inf last), and the sum of seconds. */
  record Snapshot(double[] bounds, long[] cumulativeCounts, double sum) {
    static Snapshot empty(List<Double> bounds) {
      return new LatencyHistogram(bounds).snapshot();
    }

    long count() {
      return cumulativeCounts[cumulativeCounts.length - 1];
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Snapshot s && Arrays.equals(bounds, s.bounds) && Arrays.equals(cumulativeCounts, s.cumulativeCounts)
          && sum == s.sum;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(cumulativeCounts);
    }
  }
}
