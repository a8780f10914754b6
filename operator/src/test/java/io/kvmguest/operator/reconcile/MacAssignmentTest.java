package io.kvmguest.operator.reconcile;

import static io.kvmguest.operator.testing.Guests.guest;
import static io.kvmguest.operator.testing.Guests.nic;
import static io.kvmguest.operator.testing.TestCluster.GI;
import static io.kvmguest.operator.testing.TestCluster.NS;
import static io.kvmguest.operator.testing.TestCluster.condition;
import static io.kvmguest.operator.testing.TestCluster.conditionIs;
import static io.kvmguest.operator.testing.TestCluster.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.validation.MacConflicts;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MACs through the real operator: unique under races, kept across operator restarts and stop/start. */
@EnableKubernetesMockClient(crud = true, https = false)
class MacAssignmentTest {
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;

  @BeforeEach
  void start() {
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofSeconds(1));
    nodes.publish("node-a", 64 * GI, 64, false);
  }

  @AfterEach
  void stop() {
    cluster.close();
    nodes.close();
  }

  @Test
  void ofTwoGuestsCreatedAtOnceWithOneMacExactlyOneIsInvalidNamingTheOther() throws Exception {
    cluster.startOperator(TestCluster.testOptions());
    String mac = "00:16:3e:12:34:56";
    createAtOnce(List.of(
        guest(NS, "left", "256Mi", 1, Guests.nic("eth0", "virtio", mac)),
        guest(NS, "right", "256Mi", 1, Guests.nic("lan", "e1000", mac))));
    VirtualGuest left = cluster.await("left", "validated", g -> condition(g, "Valid").isPresent());
    VirtualGuest right = cluster.await("right", "validated", g -> condition(g, "Valid").isPresent());
    List<VirtualGuest> invalid = List.of(left, right).stream().filter(g -> conditionIs(g, "Valid", "False")).toList();
    assertEquals(1, invalid.size(), "exactly one loses: " + left.getStatus() + " / " + right.getStatus());
    VirtualGuest loser = invalid.get(0);
    VirtualGuest winner = loser == left ? right : left;
    String winnerNic = winner.getSpec().interfaces().get(0).name();
    assertEquals("spec.interfaces[0].macAddress: " + MacConflicts.message(mac, MacConflicts.otherGuest(NS, winner.getMetadata().getName(), winnerNic)),
        condition(loser, "Valid").orElseThrow().message());
    assertEquals("MacConflict", condition(loser, "Valid").orElseThrow().reason());
    cluster.await(winner.getMetadata().getName(), "scheduled", g -> "Scheduled".equals(phase(g)));
    assertEquals(Map.of(winnerNic, mac), cluster.get(winner.getMetadata().getName()).getStatus().macAddresses());

    // The MAC is freed with the winner: the loser is retried and wins it.
    client.resources(VirtualGuest.class).inNamespace(NS).withName(winner.getMetadata().getName()).withGracePeriod(0).delete();
    new io.kvmguest.operator.testing.FakeNodeAgent(client).finishCleanup(NS, winner.getMetadata().getName());
    cluster.await(loser.getMetadata().getName(), "valid once the holder is gone", g -> "Scheduled".equals(phase(g)));
  }

  @Test
  void fiftyGuestsCreatedAtOnceWithoutMacsGetDistinctGeneratedOnes() throws Exception {
    cluster.startOperator(TestCluster.testOptions());
    createAtOnce(IntStream.range(0, 50).mapToObj(i -> guest(NS, "g" + i, "128Mi", 1, nic("eth0"), nic("eth1"))).toList());
    Set<String> macs = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      VirtualGuest g = cluster.await("g" + i, "scheduled", x -> "Scheduled".equals(phase(x)));
      assertEquals(2, g.getStatus().macAddresses().size());
      g.getStatus().macAddresses().values().forEach(mac -> assertTrue(mac.startsWith("00:16:3e:"), mac));
      macs.addAll(g.getStatus().macAddresses().values());
    }
    assertEquals(100, macs.size(), "every NIC of every guest has its own MAC");
  }

  @Test
  void generatedMacsSurviveAnOperatorRestartAndAStopStartOfTheGuest() {
    // The same seed makes the second operator draw the same MACs as the first: only its rebuilt
    // allocator keeps it from handing one out again.
    var first = cluster.startOperator(TestCluster.testOptions(), new Random(42));
    for (int i = 0; i < 5; i++) {
      cluster.create(guest(NS, "old" + i, "128Mi", 1, nic("eth0")));
    }
    Map<String, Map<String, String>> before = new java.util.HashMap<>();
    for (int i = 0; i < 5; i++) {
      VirtualGuest g = cluster.await("old" + i, "scheduled", x -> "Scheduled".equals(phase(x)));
      before.put("old" + i, g.getStatus().macAddresses());
    }
    first.stop();

    cluster.startOperator(TestCluster.testOptions(), new Random(42));
    cluster.create(guest(NS, "new", "128Mi", 1, nic("eth0")));
    String fresh = cluster.await("new", "scheduled", x -> "Scheduled".equals(phase(x))).getStatus().macAddresses().get("eth0");
    before.values().forEach(old -> assertFalse(old.containsValue(fresh), fresh + " was handed out before the restart"));

    cluster.editSpec("old0", spec -> Guests.with(spec, "Halted", null, null, null));
    cluster.await("old0", "observed the Halted spec", g -> Long.valueOf(2).equals(g.getStatus().observedGeneration()));
    cluster.editSpec("old0", spec -> Guests.with(spec, "Always", null, null, null));
    VirtualGuest restarted = cluster.await("old0", "observed the Always spec", g -> Long.valueOf(3).equals(g.getStatus().observedGeneration()));
    for (int i = 0; i < 5; i++) {
      assertEquals(before.get("old" + i), cluster.get("old" + i).getStatus().macAddresses());
    }
    assertEquals(before.get("old0"), restarted.getStatus().macAddresses());
    assertEquals("node-a", restarted.getMetadata().getLabels().get(ClusterContract.NODE_LABEL));
  }

  /** Creates all guests from parallel threads released at the same instant. */
  private void createAtOnce(List<VirtualGuest> guests) throws InterruptedException {
    ExecutorService threads = Executors.newFixedThreadPool(Math.min(guests.size(), 16));
    CountDownLatch go = new CountDownLatch(1);
    for (VirtualGuest guest : guests) {
      threads.submit(() -> {
        go.await();
        return cluster.create(guest);
      });
    }
    go.countDown();
    threads.shutdown();
    assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    Poll.until(TestCluster.WAIT, "all created", () -> client.resources(VirtualGuest.class).inNamespace(NS).list().getItems().size(),
        n -> n >= guests.size());
  }
}
