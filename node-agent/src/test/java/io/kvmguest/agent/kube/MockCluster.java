package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A fabric8 CRUD mock server seen as a small cluster: the VirtualGuest CRD, guests, and bounded waits. */
final class MockCluster {
  static final Duration WAIT = Duration.ofSeconds(10);
  /** Held, so the level sticks: the mock logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  final KubernetesClient client;

  MockCluster(KubernetesClient client) {
    this.client = client;
    // The generated CRD (api module, on the classpath) turns on the status subresource in the mock.
    try (InputStream crd = MockCluster.class.getResourceAsStream("/META-INF/fabric8/virtualguests.kvmguest.io-v1.yml")) {
      if (crd == null) {
        throw new IllegalStateException("the generated VirtualGuest CRD is not on the test classpath");
      }
      client.resource(client.apiextensions().v1().customResourceDefinitions().load(crd).item()).create();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A Halted guest (the agent needs no qemu for it), labelled for {@code node} unless null. */
  static VirtualGuest guest(String namespace, String name, String node, String... finalizers) {
    VirtualGuest guest = Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: %s
          namespace: %s
        spec:
          runStrategy: Halted
          cpus: 1
          memory: 64Mi
        """.formatted(name, namespace), VirtualGuest.class);
    if (node != null) {
      guest.getMetadata().setLabels(new java.util.HashMap<>(java.util.Map.of(ClusterContract.NODE_LABEL, node)));
    }
    guest.getMetadata().setFinalizers(List.of(finalizers));
    return guest;
  }

  /**
   * Creates {@code guest} as the operator dispatches it: a labelled guest is also placed on its
   * label's node (status.nodeName, which the agent requires besides the label).
   */
  VirtualGuest create(VirtualGuest guest) {
    VirtualGuest created = client.resource(guest).create();
    Map<String, String> labels = created.getMetadata().getLabels();
    String node = labels == null ? null : labels.get(ClusterContract.NODE_LABEL);
    return node == null ? created : place(created, node);
  }

  /** Creates {@code guest} with whatever labels it has and no status: a label a user set, not a placement. */
  VirtualGuest createUnplaced(VirtualGuest guest) {
    return client.resource(guest).create();
  }

  /** Writes status.nodeName as the operator does when it places the guest. */
  VirtualGuest place(VirtualGuest guest, String node) {
    VirtualGuest latest = guest(guest.getMetadata().getNamespace(), guest.getMetadata().getName()).require();
    VirtualGuestStatus stored = latest.getStatus() == null ? VirtualGuestStatus.empty() : latest.getStatus();
    latest.setStatus(new VirtualGuestStatus(stored.phase(), node, stored.observedGeneration(), stored.conditions(),
        stored.interfaces(), stored.macAddresses(), stored.vnc(), stored.accelerator()));
    return client.resource(latest).updateStatus();
  }

  Resource<VirtualGuest> guest(String namespace, String name) {
    return client.resources(VirtualGuest.class).inNamespace(namespace).withName(name);
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail(what + " not within " + WAIT.toSeconds() + " s");
      }
      sleep(25);
    }
  }

  static <T> T await(String what, Supplier<T> value, java.util.function.Predicate<T> until) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    T last = value.get();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline) {
        fail(what + " not within " + WAIT.toSeconds() + " s; last: " + last);
      }
      sleep(25);
      last = value.get();
    }
    return last;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A kubeconfig at {@code file} that reaches {@code serverUrl} (the mock server, or a proxy in front of it) with a token. */
  static java.nio.file.Path kubeconfig(java.nio.file.Path file, String serverUrl) throws java.io.IOException {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
        users: [{name: agent, user: {token: test-token}}]
        contexts: [{name: mock, context: {cluster: mock, user: agent}}]
        current-context: mock
        """.formatted(serverUrl);
    return java.nio.file.Files.writeString(file, yaml);
  }
}
