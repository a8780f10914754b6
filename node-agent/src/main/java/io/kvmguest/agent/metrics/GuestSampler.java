package io.kvmguest.agent.metrics;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.runtime.GuestView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the node's guests every {@code interval} on a thread of its own into an immutable
 * {@link MetricsSnapshot}; a scrape reads only {@link #latest()}. It reads the agent's published
 * guest views (never the API server), /proc, one {@code ip -s -j link} and each guest's QMP
 * query-blockstats, so a slow qemu delays a sample, never the agent's guest work.
 */
public final class GuestSampler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GuestSampler.class);

  /** A qemu process's figures by pid; empty when it is gone. */
  public interface Processes {
    Optional<ProcStats.Sample> read(long pid);
  }

  /** Every link's counters (guest's view), by link name. */
  public interface Taps {
    Map<String, TapCounters> read();
  }

  /** A running guest's drives' counters, by guest uid; empty when its monitor is not there. */
  public interface Drives {
    List<BlockStats> read(String uid);
  }

  private final Supplier<List<GuestView>> guests;
  private final Processes processes;
  private final Taps taps;
  private final Drives drives;
  private final GuestLifecycle lifecycle;
  private final MetricsSnapshot.Node node;
  private final Duration interval;
  private final Clock clock;
  private volatile MetricsSnapshot latest;
  private ScheduledExecutorService executor;

  public GuestSampler(Supplier<List<GuestView>> guests, Processes processes, Taps taps, Drives drives, GuestLifecycle lifecycle,
      MetricsSnapshot.Node node, Duration interval, Clock clock) {
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException("sampling interval must be positive: " + interval);
    }
    this.guests = guests;
    this.processes = processes;
    this.taps = taps;
    this.drives = drives;
    this.lifecycle = lifecycle;
    this.node = node;
    this.interval = interval;
    this.clock = clock;
    this.latest = MetricsSnapshot.empty(node);
  }

  /** Samples now and then every interval, on a daemon thread. */
  public synchronized GuestSampler start() {
    if (executor == null) {
      executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "guest-metrics-sampler");
        t.setDaemon(true);
        return t;
      });
      executor.scheduleWithFixedDelay(this::sampleSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** The last sample (the node alone before the first). */
  public MetricsSnapshot latest() {
    return latest;
  }

  /** Takes one sample, makes it the latest and returns it. */
  public MetricsSnapshot sampleOnce() {
    List<GuestView> views = guests.get();
    Set<String> uids = new HashSet<>();
    boolean anyTap = false;
    for (GuestView view : views) {
      uids.add(view.uid());
      anyTap |= view.running() && view.nics().stream().anyMatch(n -> n.tap().isPresent());
    }
    lifecycle.retain(uids);
    Map<String, TapCounters> links = anyTap ? guarded("tap counters", taps::read, Map.of()) : Map.of();
    List<MetricsSnapshot.Guest> sampled = new ArrayList<>();
    for (GuestView view : views) {
      Optional<ProcStats.Sample> process = view.pid().flatMap(pid -> guarded("process " + pid, () -> processes.read(pid), Optional.empty()));
      Map<String, TapCounters> nics = new LinkedHashMap<>();
      List<BlockStats> blocks = List.of();
      if (view.running()) {
        for (GuestView.Nic nic : view.nics()) {
          nic.tap().map(links::get).ifPresent(counters -> nics.put(nic.name(), counters));
        }
        blocks = guarded("block stats of " + view.namespace() + "/" + view.name(), () -> drives.read(view.uid()), List.of());
      }
      sampled.add(new MetricsSnapshot.Guest(view, process, nics, blocks, lifecycle.figures(view.uid())));
    }
    MetricsSnapshot snapshot = new MetricsSnapshot(node, sampled, Instant.now(clock));
    latest = snapshot;
    return snapshot;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private void sampleSafely() {
    try {
      sampleOnce();
    } catch (RuntimeException e) {
      LOG.warn("guest metrics sample failed", e);
    }
  }

  private static <T> T guarded(String what, Supplier<T> read, T otherwise) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      LOG.debug("metrics: {} not read: {}", what, e.getMessage());
      return otherwise;
    }
  }
}
