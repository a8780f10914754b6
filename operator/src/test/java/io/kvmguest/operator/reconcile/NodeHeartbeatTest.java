package io.kvmguest.operator.reconcile;

import static io.kvmguest.operator.testing.Guests.guest;
import static io.kvmguest.operator.testing.TestCluster.GI;
import static io.kvmguest.operator.testing.TestCluster.NS;
import static io.kvmguest.operator.testing.TestCluster.condition;
import static io.kvmguest.operator.testing.TestCluster.conditionIs;
import static io.kvmguest.operator.testing.TestCluster.phase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.testing.FakeNodeAgent;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Guests and their node's heartbeat; the operator and an agent writing one status at once. */
@EnableKubernetesMockClient(crud = true, https = false)
class NodeHeartbeatTest {
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;
  FakeNodeAgent agent;

  @BeforeEach
  void start() {
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofMillis(300));
    agent = new FakeNodeAgent(client);
    nodes.publish("node-a", 8 * GI, 8, false, Map.of("name", "a"));
    nodes.publish("node-b", 8 * GI, 8, false, Map.of("name", "b"));
    cluster.startOperator(TestCluster.testOptions().withNodeStaleAfter(Duration.ofSeconds(2)));
  }

  @AfterEach
  void stop() {
    cluster.close();
    nodes.close();
    agent.close();
  }

  @Test
  void guestsOfANodeWhoseHeartbeatGoesStaleBecomeUnknownUntilItReportsAgain() {
    for (String name : new String[] {"a1", "a2", "b1"}) {
      var spec = Guests.with(guest(NS, name, "256Mi", 1).getSpec(), null, null, Map.of("name", name.substring(0, 1)), null);
      cluster.create(guest(NS, name, spec));
      cluster.await(name, "scheduled", g -> "Scheduled".equals(phase(g)));
      agent.report(NS, name, "Running", "True", "guest running");
    }
    nodes.silence("node-a");
    for (String name : new String[] {"a1", "a2"}) {
      VirtualGuest unknown = cluster.await(name, "Unknown", g -> "Unknown".equals(phase(g)));
      var ready = condition(unknown, "Ready").orElseThrow();
      assertEquals("Unknown", ready.status());
      assertEquals("NodeUnreachable", ready.reason());
      assertTrue(ready.message().startsWith("node node-a has not reported for more than 2s"), ready.message());
      assertTrue(conditionIs(unknown, "Scheduled", "True"), "still placed there");
    }
    Poll.until(TestCluster.WAIT, "NodeUnreachable warnings", () -> cluster.events("a1"),
        events -> events.stream().anyMatch(e -> "NodeUnreachable".equals(e.getReason()) && "Warning".equals(e.getType())));
    assertEquals("Running", phase(cluster.get("b1")), "a guest of a live node is left alone");

    nodes.resume("node-a");
    Poll.until(TestCluster.WAIT, "NodeReachable event", () -> cluster.events("a1"),
        events -> events.stream().anyMatch(e -> "NodeReachable".equals(e.getReason())));
    agent.report(NS, "a1", "Running", "True", "guest running");
    Poll.holds(Duration.ofSeconds(1), "the agent's phase Running kept", () -> phase(cluster.get("a1")), "Running"::equals);
  }

  @Test
  void operatorAndAgentWritingOneStatusAtOnceKeepEachOthersFields() throws Exception {
    cluster.create(guest(NS, "busy", "256Mi", 1));
    cluster.await("busy", "scheduled", g -> "Scheduled".equals(phase(g)));
    int rounds = 15;
    // Each spec change makes the operator write observedGeneration and its conditions, while the
    // agent writes phase and Ready as fast as it can.
    CompletableFuture<Void> specChanges = CompletableFuture.runAsync(() -> {
      for (int i = 2; i <= rounds + 1; i++) {
        int cpus = i;
        cluster.editSpec("busy", spec -> Guests.withCpus(spec, cpus));
      }
    });
    CompletableFuture<Void> agentWrites = CompletableFuture.runAsync(() -> {
      for (int i = 1; i <= 3 * rounds; i++) {
        agent.report(NS, "busy", i % 2 == 0 ? "Running" : "Starting", "True", "agent write " + i);
      }
    });
    CompletableFuture.allOf(specChanges, agentWrites).get(60, java.util.concurrent.TimeUnit.SECONDS);
    long generation = cluster.get("busy").getMetadata().getGeneration();
    VirtualGuest last = cluster.await("busy", "operator caught up", g -> Long.valueOf(generation).equals(g.getStatus().observedGeneration()));
    assertEquals("agent write " + 3 * rounds, condition(last, "Ready").orElseThrow().message());
    assertEquals("Starting", phase(last));
    assertEquals(generation, condition(last, "Valid").orElseThrow().observedGeneration());
    assertTrue(conditionIs(last, "Scheduled", "True"));
    assertEquals("node-a", last.getStatus().nodeName());
  }
}
