package io.kvmguest.agent.kube;

import io.kvmguest.agent.testing.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.ClusterContract;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NodePublisherTest {
  private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");

  KubernetesClient client;
  final FakeClock clock = new FakeClock(START);
  final AtomicBoolean bridgeReady = new AtomicBoolean(true);
  final AtomicReference<Optional<String>> degraded = new AtomicReference<>(Optional.empty());
  NodePublisher publisher;

  @AfterEach
  void tearDown() {
    if (publisher != null) {
      publisher.close();
    }
  }

  private void createNode() {
    client.resource(new NodeBuilder().withNewMetadata().withName("node-a").addToLabels("kubernetes.io/hostname", "node-a")
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata().build()).create();
  }

  private NodePublisher start() {
    publisher = new NodePublisher(client, "node-a", Hosts.withoutKvm(), bridgeReady::get, degraded::get, 512L << 20, Duration.ofMillis(100), clock);
    publisher.start();
    return publisher;
  }

  private Node node() {
    return client.nodes().withName("node-a").get();
  }

  private Lease lease() {
    return client.leases().inNamespace(ClusterContract.LEASE_NAMESPACE).withName(ClusterContract.leaseName("node-a")).get();
  }

  /** The Lease's renewTime. */
  private String heartbeat() {
    Lease lease = lease();
    return lease == null || lease.getSpec().getRenewTime() == null ? null : lease.getSpec().getRenewTime().toInstant().toString();
  }

  private String agentReady() {
    Node node = node();
    return node == null || node.getMetadata().getLabels() == null ? null : node.getMetadata().getLabels().get(ClusterContract.AGENT_READY_LABEL);
  }

  @Test
  void publishesLabelsAndAnnotationsAndKeepsTheNodesOwn() {
    createNode();

    start();

    MockCluster.await("published", this::agentReady, "true"::equals);
    Node node = node();
    Map<String, String> labels = node.getMetadata().getLabels();
    assertEquals("true", labels.get(ClusterContract.AGENT_READY_LABEL));
    assertEquals("false", labels.get(ClusterContract.KVM_LABEL));
    assertEquals("node-a", labels.get("kubernetes.io/hostname"));
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    assertEquals(String.valueOf(8 * Hosts.GIB - (512L << 20)), annotations.get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION));
    assertEquals("4", annotations.get(ClusterContract.ALLOCATABLE_CPUS_ANNOTATION));
    assertEquals("0", annotations.get("node.alpha.kubernetes.io/ttl"));
  }

  @Test
  void theHeartbeatIsALeaseTheNodeIsWrittenOnlyWhenItsReportChanges() {
    createNode();
    start();
    MockCluster.await("first heartbeat", this::heartbeat, "2026-03-04T05:06:07Z"::equals);
    Lease lease = lease();
    assertEquals("node-a", lease.getSpec().getHolderIdentity());
    assertEquals(0.4, lease.getSpec().getLeaseDurationSeconds(), 1, "four periods, at least a second");
    assertEquals("true", lease.getMetadata().getLabels().get(ClusterContract.AGENT_LEASE_LABEL));
    MockCluster.await("published", this::agentReady, "true"::equals);
    String published = node().getMetadata().getResourceVersion();

    for (int beat = 1; beat <= 3; beat++) {
      clock.advance(Duration.ofSeconds(10));
      String expected = "2026-03-04T05:06:%02dZ".formatted(7 + 10 * beat);
      MockCluster.await("heartbeat " + beat, this::heartbeat, expected::equals);
    }
    assertEquals(published, node().getMetadata().getResourceVersion(), "three heartbeats, no Node write");

    bridgeReady.set(false);
    MockCluster.await("agent-ready follows the bridge", this::agentReady, "false"::equals);
    // Someone removes the label: the agent puts it back within REPUBLISH_EVERY, not only on a change of its own.
    client.nodes().withName("node-a").edit(n -> {
      n.getMetadata().getLabels().remove(ClusterContract.AGENT_READY_LABEL);
      return n;
    });
    clock.advance(NodePublisher.REPUBLISH_EVERY);
    MockCluster.await("republished after " + NodePublisher.REPUBLISH_EVERY, this::agentReady, "false"::equals);
  }

  private String degradedAnnotation() {
    Node node = node();
    return node == null || node.getMetadata().getAnnotations() == null ? null
        : node.getMetadata().getAnnotations().get(ClusterContract.AGENT_DEGRADED_ANNOTATION);
  }

  @Test
  void saysWhyTheAgentIsDegradedAndRemovesItWhenItIsNot() {
    createNode();
    degraded.set(Optional.of("status of 1 guest(s) not written"));
    start();
    MockCluster.await("degraded published", this::degradedAnnotation, "status of 1 guest(s) not written"::equals);
    assertEquals("true", node().getMetadata().getLabels().get(ClusterContract.AGENT_READY_LABEL), "degraded is not unready: guests run on");

    degraded.set(Optional.empty());
    MockCluster.await("degraded removed", this::degradedAnnotation, Objects::isNull);
  }

  @Test
  void closeMarksTheNodeNotReady() {
    createNode();
    start();
    MockCluster.await("ready", () -> node().getMetadata().getLabels().get(ClusterContract.AGENT_READY_LABEL), "true"::equals);

    publisher.close();

    assertEquals("false", node().getMetadata().getLabels().get(ClusterContract.AGENT_READY_LABEL));
    assertEquals("false", node().getMetadata().getLabels().get(ClusterContract.KVM_LABEL), "the rest stays");
    publisher = null;
  }

  @Test
  void aMissingNodeIsNotCreatedButFoundOnceItIsRegistered() {
    start();
    MockCluster.await("the Lease does not wait for the Node", this::heartbeat, "2026-03-04T05:06:07Z"::equals);
    MockCluster.sleep(300); // a few more periods without a Node

    assertEquals(null, node(), "the agent creates no Node");
    createNode();

    MockCluster.await("published once the node exists", this::agentReady, "true"::equals);
  }
}
