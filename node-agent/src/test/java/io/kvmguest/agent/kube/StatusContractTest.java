package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The status contract end to end: the real operator status writer (StatusStep over
 * ConflictSafeStatus) and the real agent writer (KubernetesStatusSink) race on one guest in the
 * fabric8 CRUD mock server, each many times, and neither write undoes the other's.
 */
@EnableKubernetesMockClient(crud = true)
class StatusContractTest {
  private static final int ROUNDS = 60;

  KubernetesClient client;

  @Test
  void theRealOperatorAndAgentWritersRacingOnOneGuestLoseNoUpdate() throws Exception {
    MockCluster cluster = new MockCluster(client);
    VirtualGuest guest = cluster.create(MockCluster.guest("ns1", "vm", "node-a"));
    OperatorStatusWriter operator = new OperatorStatusWriter(client, "ns1", "vm");
    ConflictRetry agentRetry = new ConflictRetry(200, Duration.ofMillis(1), Duration.ofMillis(50));
    KubernetesStatusSink agent = new KubernetesStatusSink(client, "node-a", agentRetry);
    operator.placed(1, "node-a", mac(0));
    List<String> lost = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> agentSide = pool.submit(() -> {
        go.await();
        for (int i = 1; i <= ROUNDS; i++) {
          agent.report(guest, Statuses.agentRunning(ip(i)));
          // Only the agent writes the IP: reading anything else back means an operator write undid it.
          String read = live(cluster).interfaces().get(0).ipAddress();
          if (!ip(i).equals(read)) {
            lost.add("agent wrote " + ip(i) + ", read back " + read);
          }
        }
        return null;
      });
      Future<?> operatorSide = pool.submit(() -> {
        go.await();
        for (int i = 1; i <= ROUNDS; i++) {
          operator.placed(100 + i, "node-a", mac(i));
          // Only the operator writes observedGeneration and the MACs.
          VirtualGuestStatus read = live(cluster);
          if (read.observedGeneration() != 100 + i || !mac(i).equals(read.macAddresses().get("eth0"))) {
            lost.add("operator wrote generation " + (100 + i) + ", read back " + read.observedGeneration());
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
    assertTrue(operator.conflicts() + agentRetry.conflicts() > 0, "the writers did collide (else this test proves nothing)");
    VirtualGuestStatus status = live(cluster);
    assertEquals(ip(ROUNDS), status.interfaces().get(0).ipAddress(), "the agent's last write survived");
    assertEquals("tcg", status.accelerator());
    assertEquals("Running", status.phase(), "the operator's Scheduled does not replace a phase the agent wrote");
    assertEquals(100L + ROUNDS, status.observedGeneration(), "the operator's last write survived");
    assertEquals(mac(ROUNDS), status.macAddresses().get("eth0"));
    assertEquals("node-a", status.nodeName());
    assertEquals(List.of("Valid", "Scheduled", "Ready", "AcceleratorFallback").stream().sorted().toList(),
        Statuses.types(status).stream().sorted().toList());
    assertEquals(100L + ROUNDS, Conditions.find(status.conditions(), ClusterContract.VALID_CONDITION).orElseThrow().observedGeneration());
    assertEquals("True", Conditions.find(status.conditions(), ClusterContract.READY_CONDITION).orElseThrow().status());
  }

  private static VirtualGuestStatus live(MockCluster cluster) {
    return cluster.guest("ns1", "vm").get().getStatus();
  }

  private static String ip(int round) {
    return "10.88.0." + round;
  }

  private static String mac(int round) {
    return String.format("00:16:3e:00:00:%02x", round);
  }
}
