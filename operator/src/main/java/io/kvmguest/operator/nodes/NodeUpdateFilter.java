package io.kvmguest.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;
import java.util.Optional;

/**
 * Passes the Node updates that can change a placement: labels or allocatable resources. Anything
 * else (the kubelet's status updates, other annotations) is dropped, so guests are not reconciled
 * for nothing. Heartbeats are Leases: {@link LeaseUpdateFilter}.
 */
public final class NodeUpdateFilter implements OnUpdateFilter<Node> {
  @Override
  public boolean accept(Node newNode, Node oldNode) {
    NodeReport now = NodeReport.of(newNode, Optional.empty());
    NodeReport before = NodeReport.of(oldNode, Optional.empty());
    return !Objects.equals(now.labels(), before.labels())
        || now.allocatableMemoryBytes() != before.allocatableMemoryBytes()
        || now.allocatableCpus() != before.allocatableCpus();
  }
}
