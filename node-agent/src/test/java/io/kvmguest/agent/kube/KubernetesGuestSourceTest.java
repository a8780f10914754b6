package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesGuestSourceTest {
  KubernetesClient client;
  MockCluster cluster;
  KubernetesGuestSource source;
  final AtomicInteger changes = new AtomicInteger();

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
  }

  @AfterEach
  void tearDown() {
    if (source != null) {
      source.close();
    }
  }

  private KubernetesGuestSource start(Optional<String> namespace) {
    source = new KubernetesGuestSource(client, "node-a", namespace, Duration.ofSeconds(10));
    source.start(changes::incrementAndGet);
    return source;
  }

  private static Set<String> keys(List<VirtualGuest> guests) {
    return guests.stream().map(g -> g.getMetadata().getNamespace() + "/" + g.getMetadata().getName()).collect(Collectors.toSet());
  }

  @Test
  void startReturnsWithTheGuestsLabelledForItsNodeInEveryNamespace() {
    cluster.create(MockCluster.guest("ns1", "mine", "node-a"));
    cluster.create(MockCluster.guest("ns2", "mine-too", "node-a"));
    cluster.create(MockCluster.guest("ns1", "other-node", "node-b"));
    cluster.create(MockCluster.guest("ns1", "unplaced", null));

    start(Optional.empty());

    // No waiting: start() returns once the first list is in.
    assertEquals(Set.of("ns1/mine", "ns2/mine-too"), keys(source.guests()));
  }

  @Test
  void syncedOnlyOnceTheFirstListIsIn() {
    KubernetesGuestSource unstarted = new KubernetesGuestSource(client, "node-a", Optional.empty(), Duration.ofSeconds(10));
    assertFalse(unstarted.synced(), "no list yet");
    unstarted.close();

    assertTrue(start(Optional.empty()).synced(), "an empty node's complete list is a list too");
  }

  @Test
  void oneNamespaceWhenConfigured() {
    cluster.create(MockCluster.guest("ns1", "mine", "node-a"));
    cluster.create(MockCluster.guest("ns2", "elsewhere", "node-a"));

    start(Optional.of("ns1"));

    assertEquals(Set.of("ns1/mine"), keys(source.guests()));
  }

  @Test
  void seesGuestsArriveAndLeaveByPlacementAndLabelAndTellsTheAgent() {
    start(Optional.empty());
    assertEquals(Set.of(), keys(source.guests()));

    cluster.create(MockCluster.guest("ns1", "a", "node-b"));
    cluster.create(MockCluster.guest("ns1", "b", "node-a"));
    MockCluster.await("b appears", () -> keys(source.guests()).equals(Set.of("ns1/b")));
    int before = changes.get();

    // The operator moves a: status.nodeName first, then the label (either order must work).
    cluster.place(cluster.guest("ns1", "a").get(), "node-a");
    cluster.guest("ns1", "a").edit(g -> {
      g.getMetadata().getLabels().put(ClusterContract.NODE_LABEL, "node-a");
      return g;
    });
    MockCluster.await("a placed and labelled for this node appears", () -> keys(source.guests()).equals(Set.of("ns1/a", "ns1/b")));

    cluster.guest("ns1", "b").edit(g -> {
      g.getMetadata().getLabels().put(ClusterContract.NODE_LABEL, "node-b");
      return g;
    });
    MockCluster.await("b relabelled away disappears", () -> keys(source.guests()).equals(Set.of("ns1/a")));
    assertEquals(Set.of(), keys(source.deleting()), "a relabelled guest is not being deleted");
    assertEquals(GuestSource.Departure.MOVED_AWAY, source.unlistedDeparture(), "so the agent keeps its disks");

    cluster.guest("ns1", "a").delete();
    MockCluster.await("a deleted disappears", () -> source.guests().isEmpty());
    MockCluster.await("the agent was woken for every change", () -> changes.get() >= before + 3);
  }

  @Test
  void aGuestLabelledForThisNodeWithoutTheOperatorsPlacementIsIgnored() {
    cluster.createUnplaced(MockCluster.guest("ns1", "spoofed-unplaced", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    cluster.place(cluster.createUnplaced(MockCluster.guest("ns1", "spoofed-elsewhere", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER)),
        "node-b");
    cluster.create(MockCluster.guest("ns1", "mine", "node-a"));

    start(Optional.empty());

    assertEquals(Set.of("ns1/mine"), keys(source.guests()), "a label alone starts nothing");
    int seen = changes.get();
    cluster.guest("ns1", "spoofed-unplaced").delete();
    cluster.guest("ns1", "spoofed-elsewhere").delete();
    MockCluster.await("the deletions reach the informer", () -> changes.get() >= seen + 2);
    assertEquals(Set.of(), keys(source.deleting()), "nor does it make this agent clean up (and delete disks)");
  }

  @Test
  void aGuestBeingDeletedCountsAsGoneButStaysVisibleAsDeleting() {
    cluster.create(MockCluster.guest("ns1", "leaving", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    cluster.create(MockCluster.guest("ns1", "staying", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    start(Optional.empty());
    assertEquals(Set.of("ns1/leaving", "ns1/staying"), keys(source.guests()));

    cluster.guest("ns1", "leaving").delete();

    MockCluster.await("the deleting guest leaves guests()", () -> keys(source.guests()).equals(Set.of("ns1/staying")));
    assertEquals(Set.of("ns1/leaving"), keys(source.deleting()));
    assertNotNull(source.deleting().get(0).getMetadata().getDeletionTimestamp());
    // The finalizer holds it: the API object is still there.
    assertNotNull(cluster.guest("ns1", "leaving").get());
  }
}
