package io.kvmguest.operator.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.kvmguest.api.kube.ClusterContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReportTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
  private static final Duration STALE = Duration.ofSeconds(40);

  private static Node node(String heartbeat, String memory, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(Map.of(ClusterContract.AGENT_READY_LABEL, "true", ClusterContract.KVM_LABEL, "false"));
    labels.putAll(extraLabels);
    Map<String, String> annotations = new HashMap<>(Map.of(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION, memory, ClusterContract.ALLOCATABLE_CPUS_ANNOTATION, "4"));
    annotations.put(ClusterContract.HEARTBEAT_ANNOTATION, heartbeat);
    return new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).withAnnotations(annotations).endMetadata().build();
  }

  @Test
  void readsTheContractsLabelsAndAnnotations() {
    NodeReport report = NodeReport.of(node("2026-01-01T00:00:30Z", "8589934592", Map.of()));
    assertEquals(8589934592L, report.allocatableMemoryBytes());
    assertEquals(4, report.allocatableCpus());
    assertTrue(report.agentReady());
    assertFalse(report.kvm());
    assertTrue(report.capacity(NOW, STALE).agentReady());
  }

  @Test
  void aStaleOrUnreadableNodeIsNotReady() {
    assertFalse(NodeReport.of(node("2026-01-01T00:00:19Z", "8589934592", Map.of())).capacity(NOW, STALE).agentReady());
    assertFalse(NodeReport.of(node("yesterday", "8589934592", Map.of())).capacity(NOW, STALE).agentReady());
    assertFalse(NodeReport.of(node("2026-01-01T00:00:59Z", "lots", Map.of())).capacity(NOW, STALE).agentReady());
  }

  @Test
  void heartbeatsAloneAreFilteredButStaleToFreshAndLabelChangesPass() {
    NodeUpdateFilter filter = new NodeUpdateFilter(Clock.fixed(NOW, ZoneOffset.UTC), STALE);
    Node fresh = node("2026-01-01T00:00:50Z", "1024", Map.of());
    assertFalse(filter.accept(node("2026-01-01T00:00:59Z", "1024", Map.of()), fresh));
    assertTrue(filter.accept(fresh, node("2026-01-01T00:00:01Z", "1024", Map.of())));
    assertTrue(filter.accept(node("2026-01-01T00:00:50Z", "1024", Map.of("zone", "a")), fresh));
    assertTrue(filter.accept(node("2026-01-01T00:00:50Z", "2048", Map.of()), fresh));
  }
}
