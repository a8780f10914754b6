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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.testing.FakeNodeAgent;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A guest's way through the real operator, with nodes and an agent faked on the mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class GuestLifecycleTest {
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;
  FakeNodeAgent agent;

  @BeforeEach
  void start() {
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofSeconds(1));
    agent = new FakeNodeAgent(client);
    cluster.startOperator(TestCluster.testOptions());
  }

  @AfterEach
  void stop() {
    cluster.close();
    nodes.close();
    agent.close();
  }

  @Test
  @SuppressWarnings("try") // the watch only needs closing
  void validGuestIsScheduledThenRunByTheAgentWhoseFieldsTheOperatorKeeps() {
    nodes.publish("node-a", 8 * GI, 4, false);
    List<String> phases = new CopyOnWriteArrayList<>();
    try (var watch = client.resources(VirtualGuest.class).inNamespace(NS).withName("web").watch(new Watcher<VirtualGuest>() {
      @Override
      public void eventReceived(Action action, VirtualGuest guest) {
        String phase = phase(guest);
        if (phase != null && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase))) {
          phases.add(phase);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      cluster.create(guest(NS, "web", "512Mi", 2, nic("eth0"), nic("eth1")));
      Poll.until(TestCluster.WAIT, "web Scheduled", () -> List.copyOf(phases), seen -> seen.contains("Scheduled"));
    }
    // One status write places a guest (Valid, MACs, nodeName, Scheduled): it never shows Pending.
    assertEquals(List.of("Scheduled"), phases);
    VirtualGuest scheduled = cluster.get("web");
    assertEquals("node-a", scheduled.getMetadata().getLabels().get(ClusterContract.NODE_LABEL));
    assertTrue(scheduled.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER));
    assertEquals("node-a", scheduled.getStatus().nodeName());
    assertEquals(1L, scheduled.getStatus().observedGeneration());
    assertEquals(2, scheduled.getStatus().macAddresses().size());
    scheduled.getStatus().macAddresses().values().forEach(mac -> assertTrue(mac.startsWith("00:16:3e:"), mac));
    assertTrue(conditionIs(scheduled, "Valid", "True"));
    assertTrue(conditionIs(scheduled, "Scheduled", "True"));
    Poll.until(TestCluster.WAIT, "Validated and Scheduled events", () -> cluster.events("web"),
        events -> events.stream().anyMatch(e -> "Scheduled".equals(e.getReason()) && "Normal".equals(e.getType()))
            && events.stream().anyMatch(e -> "Validated".equals(e.getReason())));

    agent.report(NS, "web", "Starting", "False", "qemu starting");
    agent.report(NS, "web", "Running", "True", "guest running");
    // A spec change makes the operator write its status again: the agent's fields must survive it.
    cluster.editSpec("web", spec -> Guests.withCpus(spec, 3));
    VirtualGuest after = cluster.await("web", "observedGeneration 2", g -> Long.valueOf(2).equals(g.getStatus().observedGeneration()));
    assertEquals("Running", phase(after));
    assertEquals("guest running", condition(after, "Ready").orElseThrow().message());
    assertEquals(scheduled.getStatus().macAddresses(), after.getStatus().macAddresses());
    assertEquals("node-a", after.getStatus().nodeName());
  }

  @Test
  void invalidGuestGetsValidFalseWithTheFieldPathAWarningAndIsNeverDispatched() throws InterruptedException {
    nodes.publish("node-a", 8 * GI, 4, false);
    cluster.create(guest(NS, "bad", "512Mi", 1, Guests.nic("eth0", "virtio-net", null)));
    VirtualGuest bad = cluster.await("bad", "Valid=False", g -> conditionIs(g, "Valid", "False"));
    var valid = condition(bad, "Valid").orElseThrow();
    assertEquals("InvalidSpec", valid.reason());
    assertTrue(valid.message().startsWith("spec.interfaces[0].model: "), valid.message());
    assertTrue(valid.message().contains("virtio-net"), valid.message());
    assertEquals("Pending", phase(bad));
    Poll.until(TestCluster.WAIT, "Invalid warning event", () -> cluster.events("bad"),
        events -> events.stream().anyMatch(e -> "Warning".equals(e.getType()) && "Invalid".equals(e.getReason()) && e.getMessage().equals(valid.message())));
    Thread.sleep(1000);
    VirtualGuest later = cluster.get("bad");
    assertNull(later.getMetadata().getLabels() == null ? null : later.getMetadata().getLabels().get(ClusterContract.NODE_LABEL));
    assertFalse(later.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER));
    assertNull(later.getStatus().nodeName());
    assertTrue(later.getStatus().macAddresses().isEmpty());
  }

  @Test
  void deletionOfANeverDispatchedGuestIsImmediateAndADispatchedOneWaitsForTheAgent() {
    cluster.create(guest(NS, "waiting", "512Mi", 1));
    cluster.await("waiting", "Scheduled=False", g -> conditionIs(g, "Scheduled", "False"));
    client.resources(VirtualGuest.class).inNamespace(NS).withName("waiting").delete();
    Poll.until(TestCluster.WAIT, "never-dispatched guest gone", () -> cluster.get("waiting") == null, gone -> gone);

    nodes.publish("node-a", 8 * GI, 4, false);
    cluster.create(guest(NS, "placed", "512Mi", 1));
    cluster.await("placed", "Scheduled", g -> "Scheduled".equals(phase(g)));
    client.resources(VirtualGuest.class).inNamespace(NS).withName("placed").delete();
    VirtualGuest terminating = cluster.await("placed", "marked for deletion", VirtualGuest::isMarkedForDeletion);
    assertTrue(terminating.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER));
    Poll.until(Duration.ofSeconds(2), "operator leaves the finalizer to the agent", () -> cluster.get("placed"), g -> false == (g == null));
    assertNotNull(cluster.get("placed"));
    agent.finishCleanup(NS, "placed");
    Poll.until(TestCluster.WAIT, "dispatched guest gone after cleanup", () -> cluster.get("placed") == null, gone -> gone);
  }

  @Test
  void guestOfANodeThatNoLongerExistsLosesItsFinalizerWithAWarning() {
    nodes.publish("node-a", 8 * GI, 4, false);
    cluster.create(guest(NS, "orphan", "512Mi", 1));
    cluster.await("orphan", "Scheduled", g -> "Scheduled".equals(phase(g)));
    nodes.remove("node-a");
    client.resources(VirtualGuest.class).inNamespace(NS).withName("orphan").delete();
    Poll.until(TestCluster.WAIT, "guest of a removed node gone", () -> cluster.get("orphan") == null, gone -> gone);
    Poll.until(TestCluster.WAIT, "NodeGone warning", () -> cluster.events("orphan"),
        events -> events.stream().anyMatch(e -> "Warning".equals(e.getType()) && "NodeGone".equals(e.getReason())));
  }
}
