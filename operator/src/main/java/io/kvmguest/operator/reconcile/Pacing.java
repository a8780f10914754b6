package io.kvmguest.operator.reconcile;

import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.nodes.NodeReport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * When to look at a guest again without an event: a node going stale sends no event, so a placed
 * guest is rechecked just after its node's heartbeat would expire; waiting guests are retried
 * every interval.
 */
public final class Pacing {
  private static final Duration MARGIN = Duration.ofMillis(200);

  private final Clock clock;
  private final Duration staleAfter;
  private final Duration interval;

  public Pacing(Clock clock, Duration staleAfter, Duration interval) {
    this.clock = clock;
    this.staleAfter = staleAfter;
    this.interval = interval;
  }

  public Duration staleAfter() {
    return staleAfter;
  }

  public Clock clock() {
    return clock;
  }

  /** Whether the node's agent reported recently enough. */
  public boolean fresh(NodeReport node) {
    return node.fresh(clock.instant(), staleAfter);
  }

  public UpdateControl<VirtualGuest> retryLater() {
    return UpdateControl.<VirtualGuest>noUpdate().rescheduleAfter(interval);
  }

  public UpdateControl<VirtualGuest> watchNode(Optional<NodeReport> node) {
    Duration wait = node.filter(n -> n.fresh(clock.instant(), staleAfter))
        .flatMap(n -> n.staleAt(staleAfter))
        .map(staleAt -> Duration.between(clock.instant(), staleAt).plus(MARGIN))
        .map(d -> d.compareTo(MARGIN) < 0 ? MARGIN : d)
        .map(d -> d.compareTo(interval) > 0 ? interval : d)
        .orElse(interval);
    return UpdateControl.<VirtualGuest>noUpdate().rescheduleAfter(wait);
  }
}
