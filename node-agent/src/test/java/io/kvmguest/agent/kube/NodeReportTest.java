package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.kube.ClusterContract;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeReportTest {
  @Test
  void runningAgentOnANodeWithoutUsableKvm() {
    NodeReport report = NodeReport.running(Hosts.withoutKvm(), true, java.util.Optional.empty(), 512L << 20);

    assertEquals(Map.of(ClusterContract.AGENT_READY_LABEL, "true", ClusterContract.KVM_LABEL, "false"), report.labels());
    assertEquals(Map.of(
        ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION, String.valueOf(8 * Hosts.GIB - (512L << 20)),
        ClusterContract.ALLOCATABLE_CPUS_ANNOTATION, "4"), report.annotations(), "no heartbeat: that is the Lease");
  }

  @Test
  void kvmNodeWithABridgeThatIsNotReady() {
    NodeReport report = NodeReport.running(Hosts.withKvm(), false, java.util.Optional.empty(), 0);

    assertEquals(Map.of(ClusterContract.AGENT_READY_LABEL, "false", ClusterContract.KVM_LABEL, "true"), report.labels());
    assertEquals(String.valueOf(16 * Hosts.GIB), report.annotations().get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION));
  }

  @Test
  void aReserveLargerThanTheHostLeavesNothingRatherThanANegativeNumber() {
    NodeReport report = NodeReport.running(Hosts.withoutKvm(), true, java.util.Optional.empty(), 64 * Hosts.GIB);

    assertEquals("0", report.annotations().get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION));
  }

  @Test
  void mergePatchTouchesOnlyLabelsAndAnnotations() {
    assertEquals("{\"metadata\":{\"labels\":{\"kvmguest.io/agent-ready\":\"false\"}}}", NodeReport.stopped().mergePatch());
  }
}
