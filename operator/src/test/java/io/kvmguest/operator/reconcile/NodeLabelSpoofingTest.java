package io.kvmguest.operator.reconcile;

import static io.kvmguest.operator.testing.Guests.guest;
import static io.kvmguest.operator.testing.TestCluster.GI;
import static io.kvmguest.operator.testing.TestCluster.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node label is the operator's: a user who sets it neither chooses nor changes the guest's node. */
@EnableKubernetesMockClient(crud = true, https = false)
class NodeLabelSpoofingTest {
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;

  @BeforeEach
  void start() {
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofSeconds(1));
    cluster.startOperator(TestCluster.testOptions());
  }

  @AfterEach
  void stop() {
    cluster.close();
    nodes.close();
  }

  private static String label(VirtualGuest guest) {
    return guest.getMetadata().getLabels() == null ? null : guest.getMetadata().getLabels().get(ClusterContract.NODE_LABEL);
  }

  @Test
  void aLabelSetBeforeDispatchIsIgnoredByPlacementAndOverwritten() {
    nodes.publish("node-a", 8 * GI, 4, false);
    nodes.publish("small", 256 * TestCluster.MI, 4, false); // too small for the guest
    VirtualGuest spoofed = guest(NS, "web", "1Gi", 1);
    spoofed.getMetadata().setLabels(new HashMap<>(Map.of(ClusterContract.NODE_LABEL, "small")));
    cluster.create(spoofed);

    VirtualGuest placed = cluster.await("web", "placed", g -> g.getStatus() != null && g.getStatus().nodeName() != null);

    assertEquals("node-a", placed.getStatus().nodeName(), "placement ignores the user's label: only node-a has the memory");
    VirtualGuest relabelled = cluster.await("web", "relabelled to node-a", g -> "node-a".equals(label(g)));
    assertEquals("node-a", relabelled.getStatus().nodeName());
    Poll.until(TestCluster.WAIT, "a warning names the overwritten label", () -> cluster.events("web"),
        events -> events.stream().anyMatch(e -> "NodeLabelOverwritten".equals(e.getReason()) && e.getMessage().contains("=small")));
  }

  @Test
  void aLabelOnANodeThatDoesNotExistLeavesAnUnplaceableGuestUnplaced() {
    VirtualGuest spoofed = guest(NS, "pinned", "512Mi", 1);
    spoofed.getMetadata().setLabels(new HashMap<>(Map.of(ClusterContract.NODE_LABEL, "ghost")));
    cluster.create(spoofed);

    VirtualGuest waiting = cluster.await("pinned", "Scheduled=False", g -> TestCluster.conditionIs(g, "Scheduled", "False"));

    assertEquals(ClusterContract.NO_NODE_FITS_REASON, TestCluster.condition(waiting, "Scheduled").orElseThrow().reason());
    assertEquals(null, waiting.getStatus().nodeName(), "a label is not a placement");
  }

  @Test
  void relabellingAPlacedGuestIsUndoneAndItsNodeStays() {
    nodes.publish("node-a", 8 * GI, 4, false);
    cluster.create(guest(NS, "db", "512Mi", 1));
    cluster.await("db", "dispatched to node-a", g -> "node-a".equals(label(g)) && g.getStatus() != null && "node-a".equals(g.getStatus().nodeName()));
    nodes.publish("node-b", 8 * GI, 4, false);

    client.resources(VirtualGuest.class).inNamespace(NS).withName("db").edit(g -> {
      g.getMetadata().getLabels().put(ClusterContract.NODE_LABEL, "node-b");
      return g;
    });

    VirtualGuest back = cluster.await("db", "label restored", g -> "node-a".equals(label(g)));
    assertEquals("node-a", back.getStatus().nodeName());
    Poll.holds(Duration.ofSeconds(1), "stays on node-a", () -> cluster.get("db"),
        g -> "node-a".equals(label(g)) && "node-a".equals(g.getStatus().nodeName()));
  }
}
