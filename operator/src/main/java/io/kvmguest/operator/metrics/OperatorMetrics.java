package io.kvmguest.operator.metrics;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.api.v1alpha1.Enums;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The operator's own meters (docs/metrics.md, "Operator"), on a registry the caller owns and
 * serves. Reads nothing from the API server: the phase gauge asks a function over JOSDK's cache.
 */
public final class OperatorMetrics {
  public static final String GUESTS = "kvmguest.operator.guests";
  public static final String PLACEMENT = "kvmguest.operator.placement";
  public static final String VALIDATION_FAILURES = "kvmguest.operator.validation.failures";
  public static final String DISPATCHES = "kvmguest.operator.dispatches";

  /** Bucket bounds of the placement histogram. */
  static final Duration[] PLACEMENT_BUCKETS = {
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(600)};

  private final MeterRegistry registry;
  private final Clock clock;
  private final Timer placement;
  /** Unplaced guests by uid: when this operator first reconciled them. */
  private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();

  /** A Prometheus endpoint for the operator: JVM meters, and HELP for JOSDK's ({@link JosdkMeterHelp}). */
  public static PrometheusEndpoint endpoint() {
    return PrometheusEndpoint.withJvmMetrics(new JosdkMeterHelp());
  }

  /** {@code validationReasons}: the reasons the validator gives, registered at 0 so each series exists from the start. */
  public OperatorMetrics(MeterRegistry registry, Clock clock, Collection<String> validationReasons) {
    this.registry = registry;
    this.clock = clock;
    this.placement = Timer.builder(PLACEMENT)
        .description("Seconds from this operator's first reconcile of a guest (not its creationTimestamp: an"
            + " operator started later measures from its start) to the guest's Scheduled=True condition being written")
        .serviceLevelObjectives(PLACEMENT_BUCKETS)
        .register(registry);
    validationReasons.forEach(this::validationCounter);
  }

  /**
   * One gauge per phase of {@link Enums.Phase}, each {@code guestsInPhase.applyAsInt(phase)}; it must
   * count guests with no phase yet as Pending, and read a cache, since it runs on every scrape.
   */
  public void countGuestsBy(ToIntFunction<String> guestsInPhase) {
    for (Enums.Phase phase : Enums.Phase.values()) {
      Gauge.builder(GUESTS, () -> guestsInPhase.applyAsInt(phase.name()))
          .description("VirtualGuests this operator watches, by status phase (a guest with no phase yet counts as Pending)")
          .tag("phase", phase.name())
          .register(registry);
    }
  }

  /** A reconcile of a guest with no node yet: starts its placement clock unless it is running already. */
  public void unplacedSeen(String uid) {
    firstSeen.putIfAbsent(uid, clock.instant());
  }

  /** The guest's Scheduled=True condition was written: observes its placement time, once. */
  public void scheduled(String uid) {
    Instant seen = firstSeen.remove(uid);
    if (seen != null) {
      Duration took = Duration.between(seen, clock.instant());
      placement.record(took.isNegative() ? Duration.ZERO : took);
    }
  }

  /** The guest is gone. */
  public void forget(String uid) {
    firstSeen.remove(uid);
  }

  /** A guest was found invalid (a new verdict written to its Valid condition) for {@code reason}. */
  public void validationFailed(String reason) {
    validationCounter(reason).increment();
  }

  /** A guest was handed to {@code node} (its node label and finalizer written). */
  public void dispatched(String node) {
    Counter.builder(DISPATCHES)
        .description("VirtualGuests this operator handed to a node (node label and cleanup finalizer written)")
        .tag("node", node)
        .register(registry)
        .increment();
  }

  private Counter validationCounter(String reason) {
    return Counter.builder(VALIDATION_FAILURES)
        .description("Times a VirtualGuest was found invalid, by the reason of its Valid=False condition"
            + " (counted when a new verdict is written, not on every reconcile)")
        .tag("reason", reason)
        .register(registry);
  }
}
