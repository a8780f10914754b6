package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesStatusSinkTest {
  KubernetesClient client;
  MockCluster cluster;
  KubernetesStatusSink sink;
  OperatorStatusWriter operator;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
    sink = new KubernetesStatusSink(client, "node-a", new ConflictRetry(20, Duration.ofMillis(5), Duration.ofMillis(100)));
    operator = new OperatorStatusWriter(client, "ns1", "vm");
  }

  private VirtualGuest placed(String... finalizers) {
    VirtualGuest guest = cluster.create(MockCluster.guest("ns1", "vm", "node-a", finalizers));
    operator.placed(3, "node-a", "00:16:3e:aa:bb:cc");
    return guest;
  }

  private VirtualGuestStatus live() {
    return cluster.guest("ns1", "vm").get().getStatus();
  }

  @Test
  void writesTheAgentFieldsAndKeepsTheOperatorFields() {
    VirtualGuest guest = placed();

    sink.report(guest, Statuses.agentRunning("10.88.0.5"));

    VirtualGuestStatus status = live();
    assertEquals("Running", status.phase());
    assertEquals("tcg", status.accelerator());
    assertEquals("127.0.0.1:5900", status.vnc().address());
    assertEquals("10.88.0.5", status.interfaces().get(0).ipAddress());
    assertEquals("node-a", status.nodeName());
    assertEquals(Map.of("eth0", "00:16:3e:aa:bb:cc"), status.macAddresses());
    assertEquals(3L, status.observedGeneration(), "observedGeneration is the operator's");
    assertEquals(List.of("Valid", "Scheduled", "Ready", "AcceleratorFallback"), Statuses.types(status));
  }

  @Test
  void replacesTheAgentsConditionsAndClearsWhatTheAgentNoLongerReports() {
    VirtualGuest guest = placed();
    sink.report(guest, Statuses.agentRunning("10.88.0.5"));

    sink.report(guest, Statuses.agentStopped());

    VirtualGuestStatus status = live();
    assertEquals("Stopped", status.phase());
    assertEquals(List.of("Valid", "Scheduled", "Ready"), Statuses.types(status), "AcceleratorFallback is gone, the operator's stay");
    GuestCondition ready = status.conditions().get(2);
    assertEquals("False", ready.status());
    assertNull(status.vnc());
    assertNull(status.accelerator());
    assertNull(status.interfaces().get(0).ipAddress());
    assertEquals("node-a", status.nodeName());
  }

  @Test
  void writesTheFirstStatusOfAGuestThatHasNone() {
    VirtualGuest guest = cluster.create(MockCluster.guest("ns1", "fresh", "node-a"));

    sink.report(guest, Statuses.agentStopped());

    assertEquals("Stopped", cluster.guest("ns1", "fresh").get().getStatus().phase());
  }

  @Test
  void leavesAloneGuestsThatAreGoneRecreatedOrMovedAway() {
    VirtualGuest gone = MockCluster.guest("ns1", "gone", "node-a");
    sink.report(gone, Statuses.agentStopped()); // no exception: nothing to write to

    VirtualGuest old = placed();
    cluster.guest("ns1", "vm").withGracePeriod(0).delete();
    MockCluster.await("vm deleted", () -> cluster.guest("ns1", "vm").get() == null);
    cluster.createUnplaced(MockCluster.guest("ns1", "vm", "node-a"));
    sink.report(old, Statuses.agentRunning("10.88.0.5"));
    assertNull(live(), "a namesake with another uid is not the guest the agent ran");

    VirtualGuest moved = cluster.createUnplaced(MockCluster.guest("ns1", "moved", "node-b"));
    sink.report(moved, Statuses.agentRunning("10.88.0.5"));
    assertNull(cluster.guest("ns1", "moved").get().getStatus(), "a guest of another node belongs to that node's agent");

    VirtualGuest spoofed = cluster.place(cluster.createUnplaced(MockCluster.guest("ns1", "spoofed", "node-a")), "node-b");
    sink.report(spoofed, Statuses.agentRunning("10.88.0.5"));
    assertNull(cluster.guest("ns1", "spoofed").get().getStatus().phase(),
        "labelled for this node but placed on node-b by the operator: not this agent's to report");
  }

  @Test
  void releaseFinalizerRemovesTheFinalizerOfADeletedGuestSoItGoes() {
    VirtualGuest guest = placed(ClusterContract.NODE_CLEANUP_FINALIZER);
    cluster.guest("ns1", "vm").delete();
    assertNotNull(cluster.guest("ns1", "vm").get().getMetadata().getDeletionTimestamp(), "held by the finalizer");

    sink.releaseFinalizer(guest);

    MockCluster.await("the guest is gone once its finalizer is removed", () -> cluster.guest("ns1", "vm").get() == null);
  }

  @Test
  void releaseFinalizerKeepsOtherFinalizersAndLeavesGuestsNotBeingDeleted() {
    VirtualGuest guest = placed(ClusterContract.NODE_CLEANUP_FINALIZER, "example.com/backup");

    sink.releaseFinalizer(guest); // not being deleted (e.g. moved away): the finalizer guards its cleanup elsewhere
    assertEquals(List.of(ClusterContract.NODE_CLEANUP_FINALIZER, "example.com/backup"),
        cluster.guest("ns1", "vm").get().getMetadata().getFinalizers());

    cluster.guest("ns1", "vm").delete();
    sink.releaseFinalizer(guest);

    VirtualGuest held = cluster.guest("ns1", "vm").get();
    assertEquals(List.of("example.com/backup"), held.getMetadata().getFinalizers());
    assertNotNull(held.getMetadata().getDeletionTimestamp());
  }

  @Test
  void releaseFinalizerOfAGuestAlreadyGoneIsQuiet() {
    sink.releaseFinalizer(MockCluster.guest("ns1", "never-created", "node-a"));
  }
}
