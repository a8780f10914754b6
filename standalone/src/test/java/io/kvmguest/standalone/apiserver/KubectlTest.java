package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded API server driven by the real kubectl, as a user of standalone mode would. */
class KubectlTest {
  static final Path DEMO = Path.of("..", "examples", "demo-guest.yaml");

  @TempDir
  Path tmp;
  Path state;
  EmbeddedApiServer server;
  Kubectl kubectl;

  @BeforeEach
  void start() throws IOException {
    state = Files.createDirectories(tmp.resolve("state"));
    server = EmbeddedApiServer.start(state, 0);
    Path kubeconfig = server.writeKubeconfig(state.resolve("kubeconfig"));
    kubectl = new Kubectl(kubeconfig, Files.createDirectories(tmp.resolve("home")));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void applyListsTheGuestWithItsPrinterColumns() {
    assertTrue(kubectl.ok("apply", "-f", DEMO.toString()).contains("virtualguest.kvmguest.io/demo created"));
    String table = kubectl.ok("get", "vg");
    String header = table.lines().findFirst().orElseThrow();
    for (String column : List.of("NAME", "PHASE", "NODE", "IP", "AGE")) {
      assertTrue(header.contains(column), column + " missing from the header: " + header);
    }
    assertTrue(table.contains("demo"), table);
    assertTrue(kubectl.ok("get", "virtualguests", "-o", "wide").contains("demo"));
    assertEquals("1", kubectl.ok("get", "vg", "demo", "-o", "jsonpath={.spec.cpus}"));
    // The CRD's defaults are applied like on a real API server.
    assertEquals("auto", kubectl.ok("get", "vg", "demo", "-o", "jsonpath={.spec.accelerator}"));
    assertTrue(kubectl.ok("get", "vg", "demo", "-o", "yaml").contains("memory: 256Mi"));
    assertTrue(kubectl.ok("apply", "-f", DEMO.toString()).contains("virtualguest.kvmguest.io/demo"));
  }

  @Test
  void appliesSecretsWithStringData() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret.yaml"), """
        apiVersion: v1
        kind: Secret
        metadata: {name: vnc-password}
        stringData: {password: s3cret}
        """);
    assertTrue(kubectl.ok("apply", "-f", secret.toString()).contains("secret/vnc-password created"));
    kubectl.ok("apply", "-f", secret.toString());
    assertEquals("czNjcmV0", kubectl.ok("get", "secret", "vnc-password", "-o", "jsonpath={.data.password}"));
    String stored = server.client().secrets().withName("vnc-password").get().getData().get("password");
    assertEquals("s3cret", new String(java.util.Base64.getDecoder().decode(stored), StandardCharsets.UTF_8));
  }

  @Test
  void createsSecretsNamespacesAndConfigMapsSentAsProtobuf() {
    kubectl.ok("create", "secret", "generic", "vnc", "--from-literal=password=s3cret");
    assertEquals("czNjcmV0", kubectl.ok("get", "secret", "vnc", "-o", "jsonpath={.data.password}"));
    kubectl.ok("create", "namespace", "lab");
    kubectl.ok("create", "configmap", "cfg", "-n", "lab", "--from-literal=a=b");
    assertEquals("b", kubectl.ok("get", "configmap", "cfg", "-n", "lab", "-o", "jsonpath={.data.a}"));
    assertTrue(kubectl.ok("get", "ns", "lab").contains("Active"));
  }

  @Test
  void statusWrittenByTheClientShowsInGetWaitAndDescribe() {
    kubectl.ok("apply", "-f", DEMO.toString());
    Resource<VirtualGuest> guest = server.client().resources(VirtualGuest.class).withName("demo");
    GuestStatuses.running(server.client(), "demo", "host1", "192.0.2.10");

    String row = kubectl.ok("get", "vg", "demo", "--no-headers");
    assertTrue(row.contains("Running") && row.contains("host1") && row.contains("192.0.2.10"), row);
    long started = System.nanoTime();
    kubectl.ok("wait", "--for=jsonpath={.status.phase}=Running", "vg/demo", "--timeout=20s");
    assertTrue(System.nanoTime() - started < 15_000_000_000L, "wait took too long");
    String described = kubectl.ok("describe", "vg", "demo");
    assertTrue(described.contains("Conditions:") && described.contains("Ready") && described.contains("Booted"),
        described);
    assertEquals("Running", guest.get().getStatus().phase().toString());
  }

  @Test
  void waitReturnsWhenTheStatusChangesLater() throws Exception {
    kubectl.ok("apply", "-f", DEMO.toString());
    Thread later = new Thread(() -> {
      sleep(1500);
      GuestStatuses.running(server.client(), "demo", "host1", "192.0.2.10");
    });
    later.start();
    kubectl.ok("wait", "--for=jsonpath={.status.phase}=Running", "vg/demo", "--timeout=30s");
    later.join(10_000);
  }

  @Test
  void explainPrintsTheCrdDescriptions() {
    String model = kubectl.ok("explain", "virtualguest.spec.interfaces.model");
    assertTrue(model.contains("Emulated NIC"), model);
    String interfaces = kubectl.ok("explain", "vg.spec.interfaces");
    assertTrue(interfaces.contains("macAddress") && interfaces.contains("Network interfaces"), interfaces);
  }

  @Test
  void kubectlRejectsInvalidGuestsWithoutTurningValidationOff() throws IOException {
    Path wrongType = Files.writeString(tmp.resolve("wrong-type.yaml"), """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: wrong-type}
        spec: {cpus: "abc", memory: 256Mi}
        """);
    Kubectl.Result r = kubectl.run("apply", "-f", wrongType.toString());
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("spec.cpus") && r.err().contains("expected \"integer\""), r.both());

    Path unknown = Files.writeString(tmp.resolve("unknown.yaml"), """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: unknown-field}
        spec: {cpus: 1, memory: 256Mi, colour: red}
        """);
    r = kubectl.run("apply", "--validate=strict", "-f", unknown.toString());
    assertNotEquals(0, r.exitCode());
    assertTrue(r.err().contains("unknown field \"colour\""), r.both());
    assertTrue(kubectl.ok("get", "vg", "-o", "name").isBlank(), "nothing was created");
  }

  @Test
  void deleteWaitsForTheNodeCleanupFinalizer() {
    kubectl.ok("apply", "-f", DEMO.toString());
    KubernetesClient client = server.client();
    client.resources(VirtualGuest.class).withName("demo")
        .edit(g -> {
          g.getMetadata().setFinalizers(List.of(ClusterContract.NODE_CLEANUP_FINALIZER));
          return g;
        });
    assertTrue(kubectl.ok("delete", "vg", "demo", "--wait=false").contains("deleted"));
    VirtualGuest deleting = client.resources(VirtualGuest.class).withName("demo").get();
    assertNotNull(deleting, "kept while the finalizer is there");
    assertNotNull(deleting.getMetadata().getDeletionTimestamp());
    assertEquals("demo", kubectl.ok("get", "vg", "demo", "-o", "jsonpath={.metadata.name}"));

    client.resources(VirtualGuest.class).withName("demo").edit(g -> {
      g.getMetadata().setFinalizers(List.of());
      return g;
    });
    kubectl.ok("wait", "--for=delete", "vg/demo", "--timeout=20s");
    assertNull(client.resources(VirtualGuest.class).withName("demo").get());
    assertTrue(kubectl.ok("get", "vg", "-o", "name").isBlank());
  }

  @Test
  void everythingSurvivesARestartOnTheSameStateDir() throws IOException {
    kubectl.ok("apply", "-f", DEMO.toString());
    GuestStatuses.running(server.client(), "demo", "host1", "192.0.2.10");
    server.registerNode("host1", Map.of("kvmguest.io/agent", "true"));
    VirtualGuest before = server.client().resources(VirtualGuest.class).withName("demo").get();
    server.close();

    server = EmbeddedApiServer.start(state, 0);
    kubectl = new Kubectl(server.writeKubeconfig(state.resolve("kubeconfig")), tmp.resolve("home"));
    String row = kubectl.ok("get", "vg", "demo", "--no-headers");
    assertTrue(row.contains("Running") && row.contains("192.0.2.10"), row);
    VirtualGuest after = server.client().resources(VirtualGuest.class).withName("demo").get();
    assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid());
    assertEquals(before.getMetadata().getCreationTimestamp(), after.getMetadata().getCreationTimestamp());
    assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    assertEquals("true", server.client().nodes().withName("host1").get().getMetadata().getLabels()
        .get("kvmguest.io/agent"));

    // Versions keep growing after a restart, and new objects get fresh uids.
    GenericKubernetesResource other = server.client().genericKubernetesResources("v1", "ConfigMap")
        .resource(new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("v1")
            .withKind("ConfigMap").withNewMetadata().withName("after-restart").endMetadata().build()).create();
    assertTrue(Long.parseLong(other.getMetadata().getResourceVersion())
        > Long.parseLong(after.getMetadata().getResourceVersion()));
    assertNotEquals(after.getMetadata().getUid(), other.getMetadata().getUid());
    assertFalse(kubectl.ok("get", "crd").isBlank());
  }

  @Test
  void bootstrapCreatesNamespacesTheCrdAndNodes() {
    server.registerNode("host1", Map.of("kvmguest.io/agent", "true"));
    assertTrue(kubectl.ok("get", "crd").contains("virtualguests.kvmguest.io"));
    String namespaces = kubectl.ok("get", "ns");
    assertTrue(namespaces.contains("default") && namespaces.contains("kube-system") && namespaces.contains("kube-node-lease"), namespaces);
    assertTrue(kubectl.ok("get", "nodes", "--show-labels").contains("kvmguest.io/agent=true"));
    kubectl.ok("wait", "--for=condition=Established", "crd/virtualguests.kvmguest.io", "--timeout=10s");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
