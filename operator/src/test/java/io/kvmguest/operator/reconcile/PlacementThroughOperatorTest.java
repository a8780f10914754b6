package io.kvmguest.operator.reconcile;

import static io.kvmguest.operator.testing.Guests.guest;
import static io.kvmguest.operator.testing.TestCluster.GI;
import static io.kvmguest.operator.testing.TestCluster.MI;
import static io.kvmguest.operator.testing.TestCluster.NS;
import static io.kvmguest.operator.testing.TestCluster.condition;
import static io.kvmguest.operator.testing.TestCluster.conditionIs;
import static io.kvmguest.operator.testing.TestCluster.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.placement.Assignment;
import io.kvmguest.operator.placement.Demands;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Placement through the real operator: no overcommit under a burst, and retries when nodes change. */
@EnableKubernetesMockClient(crud = true, https = false)
class PlacementThroughOperatorTest {
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;

  @BeforeEach
  void start() {
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    cluster.close();
    nodes.close();
  }

  @Test
  void twoHundredGuestsOverTenNodesNeverExceedMemoryOrTheCpuOvercommit() throws InterruptedException {
    // 256Mi guests need 320Mi with qemu's overhead. Memory-bound nodes (4Gi, 8 CPUs x 2.0) take
    // 12 of them, CPU-bound ones (8Gi, 4 CPUs x 2.0) take 8: 100 fit, 100 must wait.
    Map<String, long[]> capacity = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      boolean memoryBound = i % 2 == 0;
      long memory = memoryBound ? 4 * GI : 8 * GI;
      int cpus = memoryBound ? 8 : 4;
      nodes.publish("node-" + i, memory, cpus, false);
      capacity.put("node-" + i, new long[] {memory, cpus});
    }
    cluster.startOperator(TestCluster.testOptions().withCpuOvercommit(2.0));
    ExecutorService creators = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 200; i++) {
      VirtualGuest guest = guest(NS, "vm-" + i, "256Mi", 1);
      creators.submit(() -> cluster.create(guest));
    }
    creators.shutdown();
    assertTrue(creators.awaitTermination(60, TimeUnit.SECONDS));

    List<VirtualGuest> all = Poll.until(Duration.ofSeconds(60), "200 guests scheduled or refused",
        () -> client.resources(VirtualGuest.class).inNamespace(NS).list().getItems(),
        guests -> guests.size() == 200 && guests.stream().allMatch(g -> condition(g, "Scheduled").isPresent()));

    Map<String, long[]> used = new HashMap<>();
    int placed = 0;
    for (VirtualGuest g : all) {
      if (conditionIs(g, "Scheduled", "True")) {
        placed++;
        String node = Assignment.nodeOf(g).orElseThrow();
        assertEquals(node, g.getMetadata().getLabels().get(ClusterContract.NODE_LABEL));
        long[] sum = used.computeIfAbsent(node, n -> new long[2]);
        sum[0] += Demands.of(g).memoryBytes();
        sum[1] += g.getSpec().cpus();
      } else {
        assertEquals("NoNodeFits", condition(g, "Scheduled").orElseThrow().reason());
        assertEquals("Pending", phase(g));
      }
    }
    used.forEach((node, sum) -> {
      assertTrue(sum[0] <= capacity.get(node)[0], node + " memory " + sum[0] / MI + "Mi > " + capacity.get(node)[0] / MI + "Mi");
      assertTrue(sum[1] <= capacity.get(node)[1] * 2, node + " vCPUs " + sum[1] + " > 2 x " + capacity.get(node)[1]);
    });
    assertEquals(100, placed, "every node full, none over: " + used.keySet());
    VirtualGuest refused = all.stream().filter(g -> conditionIs(g, "Scheduled", "False")).findFirst().orElseThrow();
    assertEquals("no node fits: 5 nodes lack CPUs, 5 nodes lack memory", condition(refused, "Scheduled").orElseThrow().message());
  }

  @Test
  void noNodeFitsSaysWhyPerKindAndTheGuestIsPlacedWhenANodeAppears() {
    nodes.publish("small", 1 * GI, 8, true, Map.of("zone", "a"));
    nodes.publish("no-kvm", 64 * GI, 8, false, Map.of("zone", "a"));
    nodes.publish("elsewhere", 64 * GI, 8, true, Map.of("zone", "b"));
    cluster.startOperator(TestCluster.testOptions());
    var spec = Guests.with(guest(NS, "x", "2Gi", 2).getSpec(), null, "kvm", Map.of(), null);
    cluster.create(guest(NS, "needs-kvm", Guests.with(spec, null, null, Map.of("zone", "a"), null)));
    VirtualGuest waiting = cluster.await("needs-kvm", "Scheduled=False", g -> conditionIs(g, "Scheduled", "False"));
    var scheduled = condition(waiting, "Scheduled").orElseThrow();
    assertEquals("NoNodeFits", scheduled.reason());
    assertEquals("no node fits: 1 node does not match nodeSelector, 1 node lacks KVM, 1 node lacks memory", scheduled.message());
    assertEquals("Pending", phase(waiting));
    Poll.until(TestCluster.WAIT, "Unschedulable warning", () -> cluster.events("needs-kvm"),
        events -> events.stream().anyMatch(e -> "Unschedulable".equals(e.getReason()) && "Warning".equals(e.getType())));

    nodes.publish("big-kvm", 16 * GI, 8, true, Map.of("zone", "a"));
    VirtualGuest placed = cluster.await("needs-kvm", "placed on the new node", g -> "Scheduled".equals(phase(g)));
    assertEquals("big-kvm", placed.getStatus().nodeName());
    assertTrue(conditionIs(placed, "Scheduled", "True"));
  }
}
