package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NodeAgentMain in Kubernetes mode as its own process, against the fabric8 mock API server through a
 * kubeconfig: it publishes its Node, runs a real guest dispatched to it (TCG, NAT bridge in a
 * throwaway network namespace), reports Running with the guest's IP next to the operator's fields,
 * unlocks VNC with the Secret's password, releases the guest's finalizer after cleaning up, and
 * marks the Node not ready when stopped.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesModeIT {
  private static final String NODE = "kube-it-node";
  private static final Duration BOOT = Duration.ofSeconds(240);

  KubernetesClient client;
  @TempDir Path tmp;
  private NetnsFixture netns;
  private Process agent;
  private MockCluster cluster;

  @BeforeEach
  void setUp() {
    Requirements.guestHost();
    netns = NetnsFixture.create("kube");
    cluster = new MockCluster(client);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (agent != null && agent.isAlive()) {
      agent.destroy();
      if (!agent.waitFor(60, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
    }
    if (netns != null) {
      netns.close(); // ends, by pid, anything still running in the namespace (qemu, dnsmasq)
    }
  }

  private Path kubeconfig() throws IOException {
    return MockCluster.kubeconfig(tmp.resolve("kubeconfig"), client.getConfiguration().getMasterUrl());
  }

  private void startAgent(Path stateDir) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = List.of(java, "-cp", System.getProperty("java.class.path"), NodeAgentMain.class.getName(),
        "--state-dir", stateDir.toString(), "--kubeconfig", kubeconfig().toString(), "--node-name", NODE,
        "--netns", netns.name(), "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "15",
        "--heartbeat-seconds", "1", "--reserve-memory", "256Mi");
    agent = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
  }

  private String log() {
    try {
      return Files.readString(tmp.resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private <T> T await(String what, Duration timeout, Supplier<T> value, Predicate<T> until) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = value.get();
    while (!until.test(last)) {
      if (System.nanoTime() > deadline || !agent.isAlive()) {
        throw new AssertionError(what + " not within " + timeout.toSeconds() + " s (agent alive: " + agent.isAlive()
            + "); last: " + last + "\nagent log:\n" + log());
      }
      MockCluster.sleep(250);
      last = value.get();
    }
    return last;
  }

  private Map<String, String> nodeLabels() {
    var node = client.nodes().withName(NODE).get();
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }

  private VirtualGuestStatus status() {
    VirtualGuest guest = cluster.guest("ns1", "vm").get();
    return guest == null ? null : guest.getStatus();
  }

  @Test
  void runsADispatchedGuestReportsItAndReleasesItOnDelete() throws Exception {
    client.resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("vnc").withNamespace("ns1").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("pw123".getBytes(StandardCharsets.UTF_8))).build()).create();
    VirtualGuest guest = Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: vm
          namespace: ns1
          labels: {"kvmguest.io/node": %s}
          finalizers: ["kvmguest.io/node-cleanup"]
        spec:
          memory: 256Mi
          cdroms: [{name: cd, iso: {path: %s}}]
          boot: {order: [cdrom]}
          interfaces: [{name: eth0, model: virtio}]
          vnc: {enabled: true, passwordSecretRef: {name: vnc}}
        """.formatted(NODE, GuestImages.iso()), VirtualGuest.class);
    cluster.create(guest);
    new OperatorStatusWriter(client, "ns1", "vm").placed(1, NODE, "00:16:3e:5a:00:01");
    Path stateDir = Files.createDirectories(tmp.resolve("state"));

    startAgent(stateDir);

    Map<String, String> labels = await("node published", Duration.ofSeconds(90), this::nodeLabels,
        l -> "true".equals(l.get(ClusterContract.AGENT_READY_LABEL)));
    assertEquals("false", labels.get(ClusterContract.KVM_LABEL), "KVM is not usable on this project's machines");
    Map<String, String> annotations = client.nodes().withName(NODE).get().getMetadata().getAnnotations();
    Instant firstBeat = await("heartbeat Lease written", Duration.ofSeconds(30), this::renewTime, java.util.Objects::nonNull);
    assertNotNull(annotations.get(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION));

    VirtualGuestStatus running = await("guest Running with an IP", BOOT, this::status, s -> s != null && "Running".equals(s.phase())
        && !s.interfaces().isEmpty() && s.interfaces().get(0).ipAddress() != null);
    assertEquals(NODE, running.nodeName());
    assertEquals("00:16:3e:5a:00:01", running.interfaces().get(0).macAddress(), "the operator's MAC is the guest's");
    assertEquals(Map.of("eth0", "00:16:3e:5a:00:01"), running.macAddresses());
    assertTrue(running.conditions().stream().map(GuestCondition::type).toList().containsAll(List.of("Valid", "Scheduled", "Ready")),
        running.conditions().toString());
    assertFalse(running.conditions().stream().anyMatch(c -> c.type().equals("VncLocked")), "the Secret's password unlocks VNC: " + running);
    assertNotNull(running.vnc());
    await("heartbeat refreshed", Duration.ofSeconds(30),
        this::renewTime, beat -> beat != null && beat.isAfter(firstBeat));

    GuestRecord record = new GuestRecordStore(stateDir).loadAll().get(0);
    LinuxProcessTable processes = new LinuxProcessTable();
    assertTrue(processes.isOurs(record.pid(), record.pidFile()));
    cluster.guest("ns1", "vm").delete();

    await("guest released and deleted", Duration.ofSeconds(60), () -> cluster.guest("ns1", "vm").get(), g -> g == null);
    assertFalse(processes.isOurs(record.pid(), record.pidFile()), "qemu stopped before the finalizer went");

    agent.destroy(); // SIGTERM: the shutdown hook runs
    assertTrue(agent.waitFor(60, TimeUnit.SECONDS), log());
    assertEquals("false", nodeLabels().get(ClusterContract.AGENT_READY_LABEL), log());
    System.out.println("agent log:\n" + log());
  }

  /** When the agent last renewed its heartbeat Lease; null while there is none. */
  private Instant renewTime() {
    var lease = client.leases().inNamespace(ClusterContract.LEASE_NAMESPACE).withName(ClusterContract.leaseName(NODE)).get();
    return lease == null || lease.getSpec().getRenewTime() == null ? null : lease.getSpec().getRenewTime().toInstant();
  }
}
