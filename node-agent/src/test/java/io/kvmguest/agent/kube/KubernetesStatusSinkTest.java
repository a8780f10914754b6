package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesStatusSinkTest {
  KubernetesClient client;
  MockCluster cluster;
  KubernetesStatusSink sink;
  OperatorLikeWriter operator;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
    sink = new KubernetesStatusSink(client, "node-a", new ConflictRetry(20, Duration.ofMillis(5), Duration.ofMillis(100)));
    operator = new OperatorLikeWriter(client, "ns1", "vm");
  }

  private VirtualGuest placed(String... finalizers) {
    VirtualGuest guest = cluster.create(MockCluster.guest("ns1", "vm", "node-a", finalizers));
    operator.write(3, "node-a", "00:16:3e:aa:bb:cc");
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
    cluster.create(MockCluster.guest("ns1", "vm", "node-a"));
    sink.report(old, Statuses.agentRunning("10.88.0.5"));
    assertNull(live(), "a namesake with another uid is not the guest the agent ran");

    VirtualGuest moved = cluster.create(MockCluster.guest("ns1", "moved", "node-b"));
    sink.report(moved, Statuses.agentRunning("10.88.0.5"));
    assertNull(cluster.guest("ns1", "moved").get().getStatus(), "a guest of another node belongs to that node's agent");
  }

  @Test
  void agentAndOperatorWritingAtOnceLoseNoUpdate() throws Exception {
    VirtualGuest guest = placed();
    int rounds = 50;
    CountDownLatch go = new CountDownLatch(1);
    List<String> lost = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> agentSide = pool.submit(() -> {
        go.await();
        for (int i = 1; i <= rounds; i++) {
          sink.report(guest, Statuses.agentRunning("10.88.0." + i));
          // Only the agent writes the IP: reading anything else back means the operator's write undid it.
          String ip = live().interfaces().get(0).ipAddress();
          if (!ip.equals("10.88.0." + i)) {
            lost.add("agent wrote 10.88.0." + i + ", read back " + ip);
          }
        }
        return null;
      });
      Future<?> operatorSide = pool.submit(() -> {
        go.await();
        for (int i = 1; i <= rounds; i++) {
          operator.write(100 + i, "node-a", String.format("00:16:3e:00:00:%02x", i));
          long generation = live().observedGeneration();
          if (generation != 100 + i) {
            lost.add("operator wrote generation " + (100 + i) + ", read back " + generation);
          }
        }
        return null;
      });
      go.countDown();
      agentSide.get(60, TimeUnit.SECONDS);
      operatorSide.get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    assertEquals(List.of(), lost, "no write undid the other side's");
    VirtualGuestStatus status = live();
    assertEquals("10.88.0." + rounds, status.interfaces().get(0).ipAddress(), "the agent's last write survived");
    assertEquals("Running", status.phase());
    assertEquals(100L + rounds, status.observedGeneration(), "the operator's last write survived");
    assertEquals(String.format("00:16:3e:00:00:%02x", rounds), status.macAddresses().get("eth0"));
    assertEquals(List.of("Valid", "Scheduled", "Ready", "AcceleratorFallback").stream().sorted().toList(),
        Statuses.types(status).stream().sorted().toList());
    assertEquals("Generation" + (100 + rounds),
        status.conditions().stream().filter(c -> c.type().equals("Valid")).findFirst().orElseThrow().reason());
    System.out.println("operator-like writer met " + operator.conflicts.get() + " conflicts");
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
