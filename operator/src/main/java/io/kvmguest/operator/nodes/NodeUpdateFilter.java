package io.kvmguest.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Passes the Node updates that can change a placement or a guest's reachability: labels,
 * allocatable resources, or a heartbeat that turns a stale node fresh. A heartbeat alone on a
 * fresh node (every 10 s per node) is dropped, so guests are not reconciled for nothing.
 */
public final class NodeUpdateFilter implements OnUpdateFilter<Node> {
  private final Clock clock;
  private final Duration staleAfter;

  public NodeUpdateFilter(Clock clock, Duration staleAfter) {
    this.clock = clock;
    this.staleAfter = staleAfter;
  }

  @Override
  public boolean accept(Node newNode, Node oldNode) {
    NodeReport now = NodeReport.of(newNode);
    NodeReport before = NodeReport.of(oldNode);
    boolean placementInputs = !Objects.equals(now.labels(), before.labels())
        || now.allocatableMemoryBytes() != before.allocatableMemoryBytes()
        || now.allocatableCpus() != before.allocatableCpus();
    var instant = clock.instant();
    return placementInputs || now.fresh(instant, staleAfter) != before.fresh(instant, staleAfter);
  }
}
