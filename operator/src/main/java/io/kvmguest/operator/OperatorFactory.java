package io.kvmguest.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.mac.ClusterMacs;
import io.kvmguest.operator.mac.MacAllocator;
import io.kvmguest.operator.nodes.NodeUpdateFilter;
import io.kvmguest.operator.placement.Placement;
import io.kvmguest.operator.placement.ReservationBook;
import io.kvmguest.operator.reconcile.ClusterView;
import io.kvmguest.operator.reconcile.DeletionStep;
import io.kvmguest.operator.reconcile.GuestEvents;
import io.kvmguest.operator.reconcile.GuestMetadata;
import io.kvmguest.operator.reconcile.KubernetesGuestEvents;
import io.kvmguest.operator.reconcile.Pacing;
import io.kvmguest.operator.reconcile.PlaceStep;
import io.kvmguest.operator.reconcile.StatusStep;
import io.kvmguest.operator.reconcile.ValidateStep;
import io.kvmguest.operator.reconcile.VirtualGuestReconciler;
import io.kvmguest.operator.status.ConflictSafeStatus;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/** Wires the operator, in one place. Builds; the caller starts and stops it. */
public final class OperatorFactory {
  private OperatorFactory() {}

  /** Name of the Lease held by the active operator when leader election is on. */
  public static final String LEASE_NAME = "kvmguest-operator";
  private static final int WRITE_ATTEMPTS = 25;

  public static GuestOperator build(KubernetesClient client, OperatorOptions options) {
    return build(client, options, new SecureRandom(), Clock.systemUTC());
  }

  /** {@code macRandom} draws generated MACs (tests pass a seeded one); {@code clock} judges heartbeats. */
  public static GuestOperator build(KubernetesClient client, OperatorOptions options, RandomGenerator macRandom, Clock clock) {
    AtomicBoolean leading = new AtomicBoolean(false);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
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
    operator.register(reconciler(client, options, macRandom, clock), (ControllerConfigurationOverrider<VirtualGuest> c) -> {
      c.withName("virtualguest").withTriggerReconcilerOnAllEvents(true);
      options.namespace().ifPresentOrElse(c::settingNamespace, c::watchingAllNamespaces);
    });
    return new GuestOperator(operator, options.leaderElectionNamespace().isPresent(), leading);
  }

  static VirtualGuestReconciler reconciler(KubernetesClient client, OperatorOptions options, RandomGenerator macRandom, Clock clock) {
    Random jitter = new Random();
    Pacing pacing = new Pacing(clock, options.nodeStaleAfter(), options.rescheduleInterval());
    GuestEvents events = new KubernetesGuestEvents(client, clock, jitter);
    ClusterMacs macs = new ClusterMacs(new MacAllocator(options.macPrefix(), macRandom));
    GuestMetadata metadata = new GuestMetadata(client, WRITE_ATTEMPTS);
    return new VirtualGuestReconciler(
        new ClusterView(new NodeUpdateFilter(clock, options.nodeStaleAfter())),
        macs,
        new ValidateStep(client, macs),
        new PlaceStep(new ReservationBook(new Placement(options.placement(), options.cpuOvercommit())), pacing),
        metadata,
        new StatusStep(new ConflictSafeStatus(client, WRITE_ATTEMPTS, jitter), events, clock),
        new DeletionStep(client, metadata, events, pacing),
        events,
        pacing);
  }
}
