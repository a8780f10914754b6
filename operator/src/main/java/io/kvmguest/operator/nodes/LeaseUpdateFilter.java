package io.kvmguest.operator.nodes;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes the heartbeat Lease renewals that change a guest's reachability: a stale node turning
 * fresh, or a new holder. A renewal of a fresh node (every 10 s per node) is dropped.
 */
public final class LeaseUpdateFilter implements OnUpdateFilter<Lease> {
  private final Clock clock;
  private final Duration staleAfter;

  public LeaseUpdateFilter(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public boolean accept(Lease newLease, Lease oldLease) {
    Instant now = clock.instant();
    return NodeReport.fresh(NodeReport.renewTime(newLease), now, staleAfter) != NodeReport.fresh(NodeReport.renewTime(oldLease), now, staleAfter)
        || !Objects.equals(holder(newLease), holder(oldLease));
  }

  /** The node whose agent holds the lease. */
  public static Optional<String> holder(Lease lease) {
    return Optional.ofNullable(lease.getSpec()).map(spec -> spec.getHolderIdentity()).filter(h -> !h.isBlank());
  }
}
