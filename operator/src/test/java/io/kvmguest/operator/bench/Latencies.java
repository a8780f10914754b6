package io.kvmguest.operator.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Start and end instants per guest; percentiles of the differences. */
final class Latencies {
  private final Map<String, Long> starts = new ConcurrentHashMap<>();
  private final Map<String, Long> ends = new ConcurrentHashMap<>();

  void start(String guest) {
    starts.put(guest, System.nanoTime());
  }

  /** Records the first end only. */
  void end(String guest) {
    ends.putIfAbsent(guest, System.nanoTime());
  }

  int ended() {
    return ends.size();
  }

  /** Blocks until {@code count} guests ended or {@code timeout} passed. */
  boolean awaitEnded(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ends.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    return ends.size() >= count;
  }

  /** Time from the first start to the last end. */
  Duration span() {
    return Duration.ofNanos(Collections.max(ends.values()) - Collections.min(starts.values()));
  }

  String summary() {
    List<Long> millis = new ArrayList<>();
    ends.forEach((guest, end) -> millis.add((end - starts.get(guest)) / 1_000_000));
    Collections.sort(millis);
    return String.format("n=%d p50=%d ms p95=%d ms max=%d ms (burst done in %d ms)",
        millis.size(), percentile(millis, 50), percentile(millis, 95), millis.get(millis.size() - 1), span().toMillis());
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
