package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReportTest {
  private static final Instant NOW = Instant.parse("2026-03-04T05:06:07.891Z");

  @Test
  void runningAgentOnANodeWithoutUsableKvm() {
    NodeReport report = NodeReport.running(Hosts.withoutKvm(), true, 512L << 20, NOW);

    assertEquals(Map.of(ClusterKeys.AGENT_READY_LABEL, "true", ClusterKeys.KVM_LABEL, "false"), report.labels());
    assertEquals(Map.of(
        ClusterKeys.ALLOCATABLE_MEMORY_ANNOTATION, String.valueOf(8 * Hosts.GIB - (512L << 20)),
        ClusterKeys.ALLOCATABLE_CPUS_ANNOTATION, "4",
        ClusterKeys.HEARTBEAT_ANNOTATION, "2026-03-04T05:06:07Z"), report.annotations());
  }

  @Test
  void kvmNodeWithABridgeThatIsNotReady() {
    NodeReport report = NodeReport.running(Hosts.withKvm(), false, 0, NOW);

    assertEquals(Map.of(ClusterKeys.AGENT_READY_LABEL, "false", ClusterKeys.KVM_LABEL, "true"), report.labels());
    assertEquals(String.valueOf(16 * Hosts.GIB), report.annotations().get(ClusterKeys.ALLOCATABLE_MEMORY_ANNOTATION));
  }

  @Test
  void aReserveLargerThanTheHostLeavesNothingRatherThanANegativeNumber() {
    NodeReport report = NodeReport.running(Hosts.withoutKvm(), true, 64 * Hosts.GIB, NOW);

    assertEquals("0", report.annotations().get(ClusterKeys.ALLOCATABLE_MEMORY_ANNOTATION));
  }

  @Test
  void mergePatchTouchesOnlyLabelsAndAnnotations() {
    assertEquals("{\"metadata\":{\"labels\":{\"kvmguest.io/agent-ready\":\"false\"}}}", NodeReport.stopped().mergePatch());
  }
}
