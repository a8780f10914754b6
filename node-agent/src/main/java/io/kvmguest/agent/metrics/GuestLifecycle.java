package io.kvmguest.agent.metrics;

import io.kvmguest.agent.runtime.AgentObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link AgentObserver} behind the lifecycle metrics: restarts, start and boot latency per
 * guest, kept until the guest leaves the node ({@link #retain}). Returns at once on every call.
 */
public final class GuestLifecycle implements AgentObserver {
  private final Map<String, Entry> guests = new ConcurrentHashMap<>();

  private static final class Entry {
    final AtomicLong restarts = new AtomicLong();
    final LatencyHistogram start = new LatencyHistogram(LatencyHistogram.START_BOUNDS);
    final LatencyHistogram boot = new LatencyHistogram(LatencyHistogram.BOOT_BOUNDS);
  }

  /** One guest's figures so far. */
  public record Figures(long restarts, LatencyHistogram.Snapshot start, LatencyHistogram.Snapshot boot) {
    static final Figures NONE = new Figures(0, LatencyHistogram.Snapshot.empty(LatencyHistogram.START_BOUNDS),
        LatencyHistogram.Snapshot.empty(LatencyHistogram.BOOT_BOUNDS));
  }

  @Override
  public void started(String uid, Duration sinceAssigned) {
    entry(uid).start.observe(sinceAssigned);
  }

  @Override
  public void restarted(String uid) {
    entry(uid).restarts.incrementAndGet();
  }

  @Override
  public void booted(String uid, Duration sinceQemuStart) {
    entry(uid).boot.observe(sinceQemuStart);
  }

  public Figures figures(String uid) {
    Entry e = guests.get(uid);
    return e == null ? Figures.NONE : new Figures(e.restarts.get(), e.start.snapshot(), e.boot.snapshot());
  }

  /** Forgets the guests not in {@code uids} (they left the node). */
  public void retain(Set<String> uids) {
    guests.keySet().retainAll(uids);
  }

  private Entry entry(String uid) {
    return guests.computeIfAbsent(uid, u -> new Entry());
  }
}
