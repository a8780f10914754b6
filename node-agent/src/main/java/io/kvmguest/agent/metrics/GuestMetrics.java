package io.kvmguest.agent.metrics;

import io.kvmguest.agent.exec.CommandRunner;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.host.KvmUsability;
import io.kvmguest.agent.runtime.GuestView;
import io.kvmguest.agent.supervise.GuestControl;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The agent's guest and node metrics, bound to a caller's registry: the lifecycle observer for the
 * agent's loop, the background sampler, and the collector a scrape reads. Close stops sampling
 * (the families stay registered, showing the last sample).
 */
public final class GuestMetrics implements AutoCloseable {
  /** How often guests are sampled by default. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** How long one guest's query-blockstats may take before that sample goes without its drives. */
  static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);

  private final GuestLifecycle lifecycle = new GuestLifecycle();
  private GuestSampler sampler;

  /** The observer to give the agent's loop (before the sampler exists). */
  public GuestLifecycle lifecycle() {
    return lifecycle;
  }

  /**
   * Makes the sampler over the agent's {@code guests}, the real /proc, {@code ip} through
   * {@code runner} and QMP through {@code supervisor}, and registers the families with {@code metrics}.
   */
  public GuestMetrics bind(PrometheusEndpoint metrics, Supplier<List<GuestView>> guests, GuestSupervisor supervisor,
      CommandRunner runner, HostFacts facts, String nodeName, long reserveMemoryBytes, Duration interval) {
    MetricsSnapshot.Node node = new MetricsSnapshot.Node(nodeName, KvmUsability.usable(facts),
        facts.allocatableMemoryBytes(reserveMemoryBytes), facts.qemuVersion(), io.kvmguest.agent.qemu.QemuCommandBuilder.MACHINE);
    sampler = new GuestSampler(guests, new LinuxProcesses(), new IpTapCounters(runner),
        uid -> supervisor.control(uid).map((GuestControl c) -> c.blockStats(QMP_TIMEOUT)).orElse(List.of()),
        lifecycle, node, interval, Clock.systemUTC());
    // The last sample, less guests deleted since: their series go at the next scrape, not the next sample.
    metrics.prometheusRegistry().register(new GuestMetricsCollector(() -> sampler.latest().onlyGuests(
        guests.get().stream().map(GuestView::uid).collect(Collectors.toSet()))));
    return this;
  }

  public GuestSampler sampler() {
    return sampler;
  }

  /** Starts sampling every interval. */
  public GuestMetrics start() {
    sampler.start();
    return this;
  }

  @Override
  public void close() {
    if (sampler != null) {
      sampler.close();
    }
  }
}
