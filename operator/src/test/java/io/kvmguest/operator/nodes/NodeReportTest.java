package io.kvmguest.operator.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kvmguest.api.kube.ClusterContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeReportTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");
  private static final Duration STALE = Duration.ofSeconds(40);

  private static Node node(String memory, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(Map.of(ClusterContract.AGENT_READY_LABEL, "true", ClusterContract.KVM_LABEL, "false"));
    labels.putAll(extraLabels);
    Map<String, String> annotations = new HashMap<>(Map.of(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION, memory, ClusterContract.ALLOCATABLE_CPUS_ANNOTATION, "4"));
    return new NodeBuilder().withNewMetadata().withName("n").withLabels(labels).withAnnotations(annotations).endMetadata().build();
  }

  private static Optional<Lease> lease(String holder, String renewTime) {
    return Optional.of(new LeaseBuilder().withNewMetadata().withName(ClusterContract.leaseName("n")).endMetadata()
        .withNewSpec().withHolderIdentity(holder).withRenewTime(renewTime == null ? null : ZonedDateTime.parse(renewTime)).endSpec().build());
  }

  private static NodeReport report(String renewTime, String memory) {
    return NodeReport.of(node(memory, Map.of()), lease("n", renewTime));
  }

  @Test
  void readsTheContractsLabelsAndAnnotations() {
    NodeReport report = report("2026-01-01T00:00:30.123456Z", "8589934592");
    assertEquals(8589934592L, report.allocatableMemoryBytes());
    assertEquals(4, report.allocatableCpus());
    assertTrue(report.agentReady());
    assertFalse(report.kvm());
    assertTrue(report.capacity(NOW, STALE).agentReady());
  }

  @Test
  void aStaleOrUnreadableNodeIsNotReady() {
    assertFalse(report("2026-01-01T00:00:19Z", "8589934592").capacity(NOW, STALE).agentReady());
    assertFalse(report(null, "8589934592").capacity(NOW, STALE).agentReady(), "a Lease never renewed");
    assertFalse(report("2026-01-01T00:00:59Z", "lots").capacity(NOW, STALE).agentReady());
    assertFalse(NodeReport.of(node("8589934592", Map.of()), Optional.empty()).capacity(NOW, STALE).agentReady(), "no Lease, no heartbeat");
  }

  @Test
  void nodeUpdatesPassOnlyWhenPlacementInputsChange() {
    NodeUpdateFilter filter = new NodeUpdateFilter();
    Node before = node("1024", Map.of());
    Node annotated = node("1024", Map.of());
    annotated.getMetadata().getAnnotations().put("other", "x");
    assertFalse(filter.accept(annotated, before));
    assertTrue(filter.accept(node("1024", Map.of("zone", "a")), before));
    assertTrue(filter.accept(node("2048", Map.of()), before));
  }

  @Test
  void renewalsAloneAreFilteredButStaleToFreshAndANewHolderPass() {
    LeaseUpdateFilter filter = new LeaseUpdateFilter(Clock.fixed(NOW, ZoneOffset.UTC), STALE);
    Lease fresh = lease("n", "2026-01-01T00:00:50Z").orElseThrow();
    assertFalse(filter.accept(lease("n", "2026-01-01T00:00:59Z").orElseThrow(), fresh));
    assertTrue(filter.accept(fresh, lease("n", "2026-01-01T00:00:01Z").orElseThrow()));
    assertTrue(filter.accept(lease("m", "2026-01-01T00:00:59Z").orElseThrow(), fresh));
  }
}
