package io.kvmguest.agent.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.agent.cgroup.NoGuestCgroups;
import io.kvmguest.agent.disk.Allowlist;
import io.kvmguest.agent.disk.DiskPreparer;
import io.kvmguest.agent.disk.DownloadLimits;
import io.kvmguest.agent.disk.HttpImporter;
import io.kvmguest.agent.disk.LinuxQemuImg;
import io.kvmguest.agent.disk.LinuxRealPaths;
import io.kvmguest.agent.disk.StorageConfig;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.net.FakeHostNetwork;
import io.kvmguest.agent.net.TapDevices;
import io.kvmguest.agent.qemu.QemuCommandBuilder;
import io.kvmguest.agent.qmp.UnixSocketQmpMonitor;
import io.kvmguest.agent.runtime.AgentObserver;
import io.kvmguest.agent.runtime.ExitInbox;
import io.kvmguest.agent.runtime.GuestLauncher;
import io.kvmguest.agent.runtime.GuestServices;
import io.kvmguest.agent.runtime.HostPorts;
import io.kvmguest.agent.runtime.ListenAddresses;
import io.kvmguest.agent.runtime.NodeAgent;
import io.kvmguest.agent.runtime.VncDisplays;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.supervise.QemuLauncher;
import io.kvmguest.agent.supervise.QmpGuestControl;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real node agent loop with the Kubernetes source and sink against the mock API server. The
 * host side is real code over a fake network and a temp state dir; the guests are Halted, so no
 * qemu (nor root) is needed.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesNodeAgentTest {
  KubernetesClient client;
  @TempDir
  Path stateDir;
  MockCluster cluster;
  OperatorStatusWriter operator;
  TapDevices taps;
  NodeAgent agent;
  Process fakeQemu;

  @BeforeEach
  void setUp() {
    cluster = new MockCluster(client);
    operator = new OperatorStatusWriter(client, "ns1", "vm");
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close();
    }
    if (fakeQemu != null) {
      fakeQemu.destroyForcibly();
    }
  }

  private void startAgent() {
    startAgent(new KubernetesGuestSource(client, "node-a", Optional.empty(), Duration.ofSeconds(10)));
  }

  private void startAgent(GuestSource source) {
    HostFacts facts = Hosts.withoutKvm();
    LinuxCommandRunner runner = new LinuxCommandRunner(Optional.empty()); // present for the wiring; Halted guests run nothing
    taps = new TapDevices(new FakeHostNetwork());
    StorageConfig storage = StorageConfig.of(stateDir, List.of(), List.of(), stateDir.resolve("cache"));
    DiskPreparer disks = new DiskPreparer(storage, new Allowlist(storage, new LinuxRealPaths()), new LinuxQemuImg(runner),
        new HttpImporter(storage.cacheDir(), DownloadLimits.defaults(),
        io.kvmguest.agent.disk.ImportAddressPolicy.publicOnly(java.util.Set.of())));
    ExitInbox exits = new ExitInbox();
    GuestSupervisor supervisor = new GuestSupervisor(new GuestRecordStore(stateDir), new QemuLauncher(runner, Duration.ofSeconds(5)),
        new NoGuestCgroups(), new LinuxProcessTable(), QmpGuestControl.factory(UnixSocketQmpMonitor::connect, Duration.ofSeconds(1), Duration.ofSeconds(1)),
        Clock.systemUTC(), Duration.ofMillis(200), exits);
    GuestLauncher launcher = new GuestLauncher(facts, taps, io.kvmguest.agent.net.AllowedBridges.only("br0"), disks,
        new QemuCommandBuilder(facts.qemuBinary()), supervisor, new VncDisplays(10), new HostPorts(),
        new ListenAddresses("127.0.0.1", "127.0.0.1"), new KubernetesSecretSource(client), stateDir);
    GuestServices services = new GuestServices(new KubernetesStatusSink(client, "node-a", ConflictRetry.defaults()),
        GuestEvents.NONE, launcher, supervisor, taps, disks, new io.kvmguest.agent.runtime.HistoryStore(stateDir),
        mac -> Optional.empty(), "br0", "127.0.0.1", Duration.ofSeconds(1), Clock.systemUTC(), AgentObserver.NONE);
    agent = new NodeAgent(source, services, exits);
    agent.start();
  }

  private VirtualGuestStatus status(String name) {
    VirtualGuest guest = cluster.guest("ns1", name).get();
    return guest == null ? null : guest.getStatus();
  }

  @Test
  void reportsAHaltedGuestStoppedNextToTheOperatorsFieldsAndReleasesItWhenDeleted() throws Exception {
    cluster.create(MockCluster.guest("ns1", "vm", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    operator.placed(1, "node-a", "00:16:3e:12:34:56");
    cluster.create(MockCluster.guest("ns1", "elsewhere", "node-b"));

    startAgent();

    VirtualGuestStatus status = MockCluster.await("phase Stopped", () -> status("vm"), s -> s != null && "Stopped".equals(s.phase()));
    assertEquals("node-a", status.nodeName());
    assertEquals(Map.of("eth0", "00:16:3e:12:34:56"), status.macAddresses());
    assertEquals(1L, status.observedGeneration());
    assertEquals(List.of("Valid", "Scheduled", "Ready"), Statuses.types(status));
    assertEquals("False", status.conditions().get(2).status());
    assertNull(status("elsewhere").phase(), "another node's guest is not this agent's business");
    io.kvmguest.agent.runtime.GuestView view = MockCluster.await("the loop publishes its view of the guest",
        () -> agent.guestViews().stream().filter(v -> v.name().equals("vm") && "Stopped".equals(v.phase())).findFirst().orElse(null),
        v -> v != null);
    assertEquals("ns1", view.namespace());
    assertFalse(view.running());
    assertEquals(64L << 20, view.memoryBytes());
    assertEquals(1, view.vcpus());

    Path guestDir = Files.createDirectories(stateDir.resolve("guests").resolve("ns1_vm_" + cluster.guest("ns1", "vm").get()
        .getMetadata().getUid()).resolve("disks"));
    cluster.guest("ns1", "vm").delete();

    MockCluster.await("the agent cleans up and lets the API server delete the guest", () -> cluster.guest("ns1", "vm").get() == null);
    assertFalse(Files.exists(guestDir), "its own disk images were removed before the finalizer was");
    MockCluster.await("a deleted guest leaves the published views", () -> agent.guestViews().isEmpty());
  }

  private Path diskDirOf(String name) throws java.io.IOException {
    String uid = cluster.guest("ns1", name).get().getMetadata().getUid();
    return Files.createDirectories(stateDir.resolve("guests").resolve("ns1_" + name + "_" + uid).resolve("disks"));
  }

  @Test
  void aGuestLabelledForThisNodeByAUserIsNeitherStartedNorCleanedUp() throws Exception {
    cluster.createUnplaced(MockCluster.guest("ns1", "spoofed", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    Path disks = diskDirOf("spoofed");
    cluster.create(MockCluster.guest("ns1", "mine", "node-a"));

    startAgent();
    MockCluster.await("the agent reports its own guest", () -> status("mine"), s -> s != null && "Stopped".equals(s.phase()));
    assertNull(status("spoofed"), "no status written for a guest the operator did not place here");
    assertEquals(List.of("mine"), agent.guestViews().stream().map(v -> v.name()).toList());

    cluster.guest("ns1", "spoofed").delete();
    MockCluster.sleep(1500); // more than the agent's 1 s tick
    assertTrue(Files.exists(disks), "deleting it does not make this agent delete disks it was never given");
    assertNotNull(cluster.guest("ns1", "spoofed").get(), "nor release the finalizer: the operator decides, as it never placed it");
  }

  @Test
  void aRelabelledGuestIsStoppedHereButKeepsItsDisksAndFinalizer() throws Exception {
    cluster.create(MockCluster.guest("ns1", "vm", "node-a", ClusterContract.NODE_CLEANUP_FINALIZER));
    Path disks = diskDirOf("vm");
    startAgent();
    MockCluster.await("phase Stopped", () -> status("vm"), s -> s != null && "Stopped".equals(s.phase()));

    cluster.guest("ns1", "vm").edit(g -> {
      g.getMetadata().getLabels().put(ClusterContract.NODE_LABEL, "node-b");
      return g;
    });

    MockCluster.await("the guest leaves this agent", () -> agent.guestViews().isEmpty());
    MockCluster.sleep(500); // a deletion would have removed them by now
    assertTrue(Files.exists(disks), "a relabel is a move away, not a deletion: the disks stay");
    assertTrue(cluster.guest("ns1", "vm").get().hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER));

    cluster.guest("ns1", "vm").edit(g -> {
      g.getMetadata().getLabels().put(ClusterContract.NODE_LABEL, "node-a");
      return g;
    });
    MockCluster.await("relabelled back (as the operator does), it is this agent's again",
        () -> agent.guestViews().stream().anyMatch(v -> v.name().equals("vm")));
    assertTrue(Files.exists(disks));
  }

  @Test
  void aNicOnABridgeTheAdminDidNotAllowFailsTheStartNamingTheFieldAndPlugsNoTap() {
    VirtualGuest guest = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: vm, namespace: ns1, labels: {kvmguest.io/node: node-a}}
        spec:
          runStrategy: Always
          cpus: 1
          memory: 64Mi
          boot: {order: [network]}
          interfaces:
          - name: eth0
          - name: eth1
            network: {bridge: {name: docker0}}
        """, VirtualGuest.class);
    cluster.create(guest);

    startAgent();

    VirtualGuestStatus status = MockCluster.await("Ready=False BridgeNotAllowed", () -> status("vm"),
        s -> s != null && s.conditions().stream().anyMatch(c -> "BridgeNotAllowed".equals(c.reason())));
    var ready = status.conditions().stream().filter(c -> "Ready".equals(c.type())).findFirst().orElseThrow();
    assertEquals("False", ready.status());
    assertTrue(ready.message().startsWith("spec.interfaces[1].network.bridge.name: bridge docker0 is not one this node lets"),
        ready.message());
    assertTrue(ready.message().contains("allowed here: br0"), ready.message());
    assertEquals("Failed", status.phase());
    assertEquals(List.of(), taps.ourTaps(), "refused before any tap was made, eth0's included");
  }

  @Test
  void aGuestDispatchedWhileTheAgentRunsIsPickedUp() {
    startAgent();

    cluster.create(MockCluster.guest("ns1", "vm", "node-a"));

    MockCluster.await("phase Stopped", () -> status("vm"), s -> s != null && "Stopped".equals(s.phase()));
  }

  @Test
  void anAdoptedGuestKeepsRunningUntilTheGuestListIsCompleteAndOnlyThenIsStoppedAsAnOrphan() throws Exception {
    // A "qemu" left by a previous agent: alive, and its command line names its pid file, as qemu's does.
    Path pidFile = Files.createDirectories(stateDir.resolve("run/orphan-uid")).resolve("qemu.pid");
    Files.writeString(pidFile, "");
    fakeQemu = new ProcessBuilder("tail", "-f", pidFile.toString()).start();
    new GuestRecordStore(stateDir).save(new GuestRecord("orphan-uid", "ns1", "gone", pidFile.toString(),
        stateDir.resolve("run/orphan-uid/qmp.sock").toString(), null, List.of(), null, fakeQemu.pid(), "2026-01-01T00:00:00Z",
        List.of(), null, null));
    UnlistedSource source = new UnlistedSource();

    startAgent(source);

    // The API server has not answered yet: no guest is known, and the adopted one must not be taken for deleted.
    await("the adopted guest keeps running while the list is incomplete").during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10)).until(fakeQemu::isAlive);

    source.listed();

    await("an orphan is stopped once the complete list lacks its guest").atMost(Duration.ofSeconds(15))
        .until(() -> !fakeQemu.isAlive());
  }

  /** A source whose first list has not arrived: no guests, not synced, until {@link #listed()}. */
  private static final class UnlistedSource implements GuestSource {
    private volatile boolean synced;
    private volatile Runnable onChange = () -> {};

    void listed() {
      synced = true;
      onChange.run();
    }

    @Override
    public List<VirtualGuest> guests() {
      return List.of();
    }

    @Override
    public boolean synced() {
      return synced;
    }

    @Override
    public void start(Runnable onChange) {
      this.onChange = onChange;
    }

    @Override
    public void close() {}
  }
}
