package io.kvmguest.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.mac.ClusterMacs;
import io.kvmguest.operator.mac.MacAllocator;
import io.kvmguest.operator.metrics.JosdkMeterHelp;
import io.kvmguest.operator.metrics.OperatorMetrics;
import io.kvmguest.operator.nodes.LeaseUpdateFilter;
import io.kvmguest.operator.nodes.NodeUpdateFilter;
import io.kvmguest.operator.placement.Placement;
import io.kvmguest.operator.placement.ReservationBook;
import io.kvmguest.operator.reconcile.ClusterView;
import io.kvmguest.operator.reconcile.DeletionStep;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.kube.KubernetesGuestEvents;
import io.kvmguest.operator.reconcile.GuestMetadata;
import io.kvmguest.operator.reconcile.Pacing;
import io.kvmguest.operator.reconcile.PlaceStep;
import io.kvmguest.operator.reconcile.StatusStep;
import io.kvmguest.operator.reconcile.ValidateStep;
import io.kvmguest.operator.reconcile.VirtualGuestReconciler;
import io.kvmguest.operator.status.ConflictSafeStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/** Wires the operator, in one place. Builds; the caller starts and stops it. */
public final class OperatorFactory {
  private OperatorFactory() {}

  /** Name of the Lease held by the active operator when leader election is on. */
  public static final String LEASE_NAME = "kvmguest-operator";
  /** The operator's name in its Events' {@code source.component}. */
  public static final String EVENT_COMPONENT = "kvmguest-operator";
  private static final int WRITE_ATTEMPTS = 25;

  /**
   * The operator's meters and JOSDK's reconcile metrics go to {@code registry}, which the caller
   * owns and serves (standalone shares one registry between operator and agent); a registry made
   * with {@link JosdkMeterHelp} gives JOSDK's meters HELP text ({@link OperatorMetrics#endpoint()}).
   */
  public static GuestOperator build(KubernetesClient client, OperatorOptions options, MeterRegistry registry) {
    return build(client, options, registry, new SecureRandom(), Clock.systemUTC());
  }

  /** {@code macRandom} draws generated MACs (tests pass a seeded one); {@code clock} judges heartbeats and times placement. */
  public static GuestOperator build(KubernetesClient client, OperatorOptions options, MeterRegistry registry, RandomGenerator macRandom, Clock clock) {
    AtomicBoolean leading = new AtomicBoolean(false);
    // Not per resource: JOSDK would keep series labelled with every guest's name.
    MicrometerMetrics josdkMetrics = MicrometerMetrics.newMicrometerMetricsBuilder(registry).notCollectingMetricsPerResource().build();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withMetrics(josdkMetrics)
          .withConcurrentReconciliationThreads(options.reconcileThreads())
          .withCloseClientOnStop(false)
          // The fabric8 mock server (tests, standalone) has no server-side apply; JOSDK must not use it.
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .checkingCRDAndValidateLocalModel(false);
      options.leaderElectionNamespace().ifPresent(ns -> o.withLeaderElectionConfiguration(
          LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME)
              .withLeaseNamespace(ns)
              .withLeaderCallbacks(new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), leader -> { }))
              .build()));
    });
    // The operator runs on no particular node: no source.host.
    KubernetesGuestEvents events = new KubernetesGuestEvents(client, EVENT_COMPONENT, Optional.empty(), clock);
    operator.register(reconciler(client, options, new OperatorMetrics(registry, clock, ValidateStep.FAILURE_REASONS), macRandom, clock, events), (ControllerConfigurationOverrider<VirtualGuest> c) -> {
      c.withName("virtualguest").withTriggerReconcilerOnAllEvents(true);
      options.namespace().ifPresentOrElse(c::settingNamespace, c::watchingAllNamespaces);
    });
    return new GuestOperator(operator, options.leaderElectionNamespace().isPresent(), leading, events);
  }

  static VirtualGuestReconciler reconciler(KubernetesClient client, OperatorOptions options, OperatorMetrics metrics, RandomGenerator macRandom, Clock clock, GuestEvents events) {
    Random jitter = new Random();
    Pacing pacing = new Pacing(clock, options.nodeStaleAfter(), options.rescheduleInterval());
    ClusterMacs macs = new ClusterMacs(new MacAllocator(options.macPrefix(), macRandom));
    GuestMetadata metadata = new GuestMetadata(client, writeRetry());
    ClusterView cluster = new ClusterView(new NodeUpdateFilter(), new LeaseUpdateFilter(clock, options.nodeStaleAfter()));
    metrics.countGuestsBy(cluster::guestsInPhase);
    return new VirtualGuestReconciler(
        cluster,
        macs,
        new ValidateStep(client, macs),
        new PlaceStep(new ReservationBook(new Placement(options.placement(), options.cpuOvercommit())), pacing),
        metadata,
        new StatusStep(new ConflictSafeStatus(client, writeRetry()), events, clock, metrics),
        new DeletionStep(client, metadata, events, pacing),
        events,
        pacing,
        metrics);
  }

  /** The operator's guarded writes race the agents' and its own reconciles: many quick retries. */
  private static ConflictRetry writeRetry() {
    return new ConflictRetry(WRITE_ATTEMPTS, Duration.ofMillis(10), Duration.ofMillis(200));
  }
}
