package io.kvmguest.operator.nodes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.operator.placement.NodeCapacity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * What a node's agent published: its Node object's labels and annotations of the contract, and
 * the renewTime of its heartbeat Lease, parsed. Unparseable values read as absent: such a node is
 * not ready.
 */
public record NodeReport(String name, Map<String, String> labels, boolean agentReady, boolean kvm,
    long allocatableMemoryBytes, int allocatableCpus, Optional<Instant> heartbeat) {

  public NodeReport {
    labels = Map.copyOf(labels);
  }

  /** {@code lease}: the node's heartbeat Lease, when there is one. */
  public static NodeReport of(Node node, Optional<Lease> lease) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    Map<String, String> annotations = node.getMetadata().getAnnotations() == null ? Map.of() : node.getMetadata().getAnnotations();
    return new NodeReport(node.getMetadata().getName(), labels,
        "true".equals(labels.get(ClusterContract.AGENT_READY_LABEL)), "true".equals(labels.get(ClusterContract.KVM_LABEL)),
        parseLong(annotations.get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION)), (int) Math.min(Integer.MAX_VALUE, parseLong(annotations.get(ClusterContract.ALLOCATABLE_CPUS_ANNOTATION))),
        lease.flatMap(NodeReport::renewTime));
  }

  /** When the agent last renewed {@code lease}. */
  public static Optional<Instant> renewTime(Lease lease) {
    return Optional.ofNullable(lease.getSpec()).map(spec -> spec.getRenewTime()).map(ZonedDateTime::toInstant);
  }

  /** Whether the agent reported within {@code staleAfter} of {@code now}. */
  public boolean fresh(Instant now, Duration staleAfter) {
    return fresh(heartbeat, now, staleAfter);
  }

  /** Whether {@code heartbeat} lies within {@code staleAfter} of {@code now}; no heartbeat is not fresh. */
  static boolean fresh(Optional<Instant> heartbeat, Instant now, Duration staleAfter) {
    return heartbeat.map(beat -> !beat.plus(staleAfter).isBefore(now)).orElse(false);
  }

  /** When this node turns stale unless its agent reports again. */
  public Optional<Instant> staleAt(Duration staleAfter) {
    return heartbeat.map(beat -> beat.plus(staleAfter));
  }

  /** The node for placement: ready only with its ready label, a fresh heartbeat and resources. */
  public NodeCapacity capacity(Instant now, Duration staleAfter) {
    boolean ready = agentReady && fresh(now, staleAfter) && allocatableMemoryBytes > 0 && allocatableCpus > 0;
    return new NodeCapacity(name, labels, ready, kvm, allocatableMemoryBytes, allocatableCpus);
  }

  private static long parseLong(String value) {
    try {
      return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
