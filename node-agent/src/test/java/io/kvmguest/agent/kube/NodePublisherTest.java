package io.kvmguest.agent.kube;

import io.kvmguest.agent.testing.FakeClock;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
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

  private String heartbeat() {
    Node node = node();
    return node == null || node.getMetadata().getAnnotations() == null ? null
        : node.getMetadata().getAnnotations().get(ClusterContract.HEARTBEAT_ANNOTATION);
  }

  @Test
  void publishesLabelsAndAnnotationsAndKeepsTheNodesOwn() {
    createNode();

    start();

    MockCluster.await("first heartbeat", this::heartbeat, Objects::nonNull);
    Node node = node();
    Map<String, String> labels = node.getMetadata().getLabels();
    assertEquals("true", labels.get(ClusterContract.AGENT_READY_LABEL));
    assertEquals("false", labels.get(ClusterContract.KVM_LABEL));
    assertEquals("node-a", labels.get("kubernetes.io/hostname"));
    Map<String, String> annotations = node.getMetadata().getAnnotations();
    assertEquals(String.valueOf(8 * Hosts.GIB - (512L << 20)), annotations.get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION));
    assertEquals("4", annotations.get(ClusterContract.ALLOCATABLE_CPUS_ANNOTATION));
    assertEquals("2026-03-04T05:06:07Z", annotations.get(ClusterContract.HEARTBEAT_ANNOTATION));
    assertEquals("0", annotations.get("node.alpha.kubernetes.io/ttl"));
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
  void refreshesTheHeartbeatAndFollowsTheBridgeEveryPeriod() {
    createNode();
    start();
    MockCluster.await("first heartbeat", this::heartbeat, "2026-03-04T05:06:07Z"::equals);

    clock.advance(Duration.ofSeconds(10));
    bridgeReady.set(false);

    MockCluster.await("next heartbeat", this::heartbeat, "2026-03-04T05:06:17Z"::equals);
    MockCluster.await("agent-ready follows the bridge", () -> node().getMetadata().getLabels().get(ClusterContract.AGENT_READY_LABEL),
        "false"::equals);
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
    MockCluster.sleep(300); // a few periods without a Node

    assertEquals(null, node(), "the agent creates no Node");
    createNode();

    MockCluster.await("heartbeat once the node exists", this::heartbeat, Objects::nonNull);
  }
}
