package io.kvmguest.agent.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node agent while its API server is away: real qemu guests (TCG, no NICs, in a throwaway
 * network namespace) and the agent in this JVM, whose client reaches the fabric8 CRUD mock only
 * through an {@link ApiOutageProxy} that the test takes down and brings back on the same port. The
 * test itself talks to the mock directly, so it can change the cluster while the agent cannot see it.
 * Each test prints its figures as {@code FIGURE name: ...} lines.
 */
@EnableKubernetesMockClient(crud = true)
class ApiOutageIT {
  private static final String NODE = "outage-node";
  private static final String NS = "ns1";
  private static final Duration OUTAGE = Duration.ofSeconds(30);
  /** What "Done when" allows between the API server's return and the agent having caught up. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  /** Generous bounds for what is not measured: a first start of qemu on a loaded 2-core machine. */
  private static final Duration START = Duration.ofSeconds(120);

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path tmp;
  private NetnsFixture netns;
  private MockCluster cluster;
  private ApiOutageProxy proxy;
  private final List<Agent> agents = new ArrayList<>();
  private final LinuxProcessTable processes = new LinuxProcessTable();

  /** One agent in this JVM: its own client through the proxy, started on a thread of its own. */
  private static final class Agent {
    final KubernetesClient client;
    final CompletableFuture<AutoCloseable> started;
    boolean closed;

    Agent(KubernetesClient client, CompletableFuture<AutoCloseable> started) {
      this.client = client;
      this.started = started;
    }

    void close() throws Exception {
      if (closed) {
        return;
      }
      closed = true;
      try {
        started.get(90, TimeUnit.SECONDS).close();
      } finally {
        client.close();
      }
    }
  }

  @BeforeEach
  void setUp() {
    Requirements.guestHost();
    netns = NetnsFixture.create("apiout");
    cluster = new MockCluster(client);
    proxy = new ApiOutageProxy(URI.create(client.getConfiguration().getMasterUrl()).getPort());
    client.resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
  }

  @AfterEach
  void tearDown() throws Exception {
    proxy.up(); // an agent closing without guests to keep powers them off and marks its Node
    for (Agent agent : agents) {
      try {
        agent.close();
      } catch (Exception e) {
        System.out.println("closing an agent: " + e);
      }
    }
    proxy.close();
    if (netns != null) {
      netns.close(); // ends, by pid, anything still running in the namespace (qemu, dnsmasq)
    }
  }

  @Test
  void anAgentStartedWhileTheApiServerIsDownStopsNoGuestAndReportsThemOnceItReturns() throws Exception {
    Path stateDir = Files.createDirectories(tmp.resolve("state"));
    List<String> names = List.of("vm-a", "vm-b");
    names.forEach(name -> cluster.create(guest(name)));
    Agent first = startAgent(stateDir, true);
    first.started.get(START.toSeconds(), TimeUnit.SECONDS);
    names.forEach(name -> awaitRunning(name, START));
    Map<String, GuestRecord> records = runningRecords(stateDir, names);
    first.close(); // --keep-guests: qemu stays for the next agent
    assertTrue(allAlive(records), "--keep-guests leaves the guests running");

    proxy.down();
    for (String name : names) { // whatever Running the guests show now must come from the new agent
      var resource = cluster.guest(NS, name);
      // only the operator's placement stays: without it the agent would not take the guest for its own
      VirtualGuestStatus placedOnly = new VirtualGuestStatus(null, NODE, null, List.of(), List.of(), null, null, null);
      resource.subresource("status").patch(PatchContext.of(PatchType.JSON),
          GuardedPatches.replaceStatus(resource.get().getMetadata().getResourceVersion(), placedOnly));
    }
    Agent second = startAgent(stateDir, false);

    await("the adopted guests keep running while the agent cannot list them").during(OUTAGE).atMost(OUTAGE.plusSeconds(15))
        .pollInterval(Duration.ofMillis(250)).until(() -> allAlive(records));
    assertTrue(names.stream().allMatch(name -> status(name) == null || status(name).phase() == null),
        "nothing reached the API server during the outage");
    proxy.up();
    long back = System.nanoTime();

    Map<String, Duration> caughtUp = milestones(back, Map.of(
        "status of vm-a Running", () -> runningByAgent("vm-a"),
        "status of vm-b Running", () -> runningByAgent("vm-b")));
    Duration statusAfter = caughtUp.values().stream().max(Duration::compareTo).orElseThrow();
    int stopped = (int) records.values().stream().filter(r -> !processes.isOurs(r.pid(), r.pidFile())).count();
    Map<String, GuestRecord> now = runningRecords(stateDir, names);
    int restarted = (int) names.stream().filter(n -> !now.get(n).pid().equals(records.get(n).pid())).count();
    figure("api-down-at-start", "%d guests stopped, %d restarted; status correct %s after the API returned (%s)",
        stopped, restarted, seconds(statusAfter), describe(caughtUp));

    assertEquals(0, stopped, "no guest is stopped while the guest list is incomplete");
    assertEquals(0, restarted, "the same qemu processes, adopted: " + records + " vs " + now);
    assertTrue(statusAfter.compareTo(CATCH_UP) <= 0, "status correct " + seconds(statusAfter) + " after the API returned");
  }

  @Test
  void runningGuestsOutliveA30SecondOutageAndWhatChangedMeanwhileIsDoneOnceTheApiReturns() throws Exception {
    Path stateDir = Files.createDirectories(tmp.resolve("state"));
    cluster.create(guest("vm-kept"));
    cluster.create(guest("vm-deleted"));
    Agent agent = startAgent(stateDir, false);
    agent.started.get(START.toSeconds(), TimeUnit.SECONDS);
    awaitRunning("vm-kept", START);
    awaitRunning("vm-deleted", START);
    Map<String, GuestRecord> records = runningRecords(stateDir, List.of("vm-kept", "vm-deleted"));
    GuestRecord kept = records.get("vm-kept");
    GuestRecord deleted = records.get("vm-deleted");
    List<String> degradedSeen = new CopyOnWriteArrayList<>();
    try (Watch nodeWatch = watchDegraded(degradedSeen)) {
      proxy.down();
      long down = System.nanoTime();
      cluster.guest(NS, "vm-deleted").delete(); // held by the finalizer until the agent releases it
      cluster.create(guest("vm-new"));

      await("the running guests keep running while the API server is away").during(OUTAGE.minus(since(down)))
          .atMost(OUTAGE.plusSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> allAlive(records));
      proxy.up();
      long back = System.nanoTime();

      Map<String, Duration> caughtUp = milestones(back, Map.of(
          "deleted guest's qemu stopped", () -> !processes.isOurs(deleted.pid(), deleted.pidFile()),
          "deleted guest's finalizer released", () -> cluster.guest(NS, "vm-deleted").get() == null,
          "new guest Running", () -> runningByAgent("vm-new"),
          "no agent-degraded annotation", () -> degradedNow() == null));
      boolean keptAlive = processes.isOurs(kept.pid(), kept.pidFile());
      Duration all = caughtUp.values().stream().max(Duration::compareTo).orElseThrow();
      figure("api-down-30s", "%d running guests stopped; caught up %s after the API returned (%s); agent-degraded values seen on the Node: %s",
          keptAlive ? 0 : 1, seconds(all), describe(caughtUp), degradedSeen.isEmpty() ? "none" : degradedSeen);

      assertTrue(keptAlive, "the guest nobody touched runs on through the outage (pid " + kept.pid() + ")");
      assertEquals(kept.pid(), runningRecords(stateDir, List.of("vm-kept")).get("vm-kept").pid(), "and was not restarted");
      caughtUp.forEach((what, after) -> assertTrue(after.compareTo(CATCH_UP) <= 0, what + " " + seconds(after) + " after the API returned"));
    }
  }

  /**
   * Status writes that the API server refuses (here: 403 on the guest's status, as a missing RBAC
   * rule would) while the Node can still be written: the heartbeat says why the agent is degraded,
   * and stops saying it once the writes go through. (During a full outage the Node cannot be
   * written either, so there the annotation can at most show in the first heartbeat afterwards.)
   */
  @Test
  void theNodeSaysTheAgentIsDegradedWhileStatusWritesFailAndNoLongerOnceTheyGoThrough() throws Exception {
    Agent agent = startAgent(Files.createDirectories(tmp.resolve("state")), false);
    agent.started.get(START.toSeconds(), TimeUnit.SECONDS);
    await("the agent's first heartbeat").atMost(CATCH_UP).until(() -> "true".equals(labels().get(ClusterContract.AGENT_READY_LABEL)));
    String statusPath = "/apis/kvmguest.io/v1alpha1/namespaces/" + NS + "/virtualguests/halted/status";
    server.expect().patch().withPath(statusPath).andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403)
        .withReason("Forbidden").withMessage("virtualguests/status is forbidden (test)").build()).always();

    cluster.create(MockCluster.guest(NS, "halted", NODE, ClusterContract.NODE_CLEANUP_FINALIZER)); // no qemu: Halted
    long refused = System.nanoTime();
    String degraded = await("the Node's agent-degraded annotation").atMost(CATCH_UP).pollInterval(Duration.ofMillis(100))
        .until(this::degradedNow, d -> d != null);
    Duration shownAfter = since(refused);
    assertTrue(status("halted").phase() == null && status("halted").conditions().isEmpty(),
        "no status of the agent's got through the refusal: " + status("halted"));

    server.clearExpectations();
    long allowed = System.nanoTime();
    Map<String, Duration> recovered = milestones(allowed, Map.of(
        "status Stopped written", () -> status("halted") != null && "Stopped".equals(status("halted").phase()),
        "agent-degraded annotation gone", () -> degradedNow() == null));
    figure("status-writes-refused", "agent-degraded shown %s after the guest appeared (\"%s\"); after the API accepted writes again: %s",
        seconds(shownAfter), degraded, describe(recovered));

    assertTrue(degraded.contains("not written"), degraded);
    recovered.forEach((what, after) -> assertTrue(after.compareTo(CATCH_UP) <= 0, what + " " + seconds(after)));
  }

  // --- the agent ---

  private Agent startAgent(Path stateDir, boolean keepGuests) throws IOException {
    List<String> args = new ArrayList<>(List.of("--state-dir", stateDir.toString(), "--kubeconfig", kubeconfig().toString(),
        "--node-name", NODE, "--netns", netns.name(), "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "5",
        "--heartbeat-seconds", "1", "--reserve-memory", "256Mi"));
    if (keepGuests) {
      args.add("--keep-guests");
    }
    AgentOptions options = AgentOptions.parse(args, Map.of(), NODE);
    KubernetesClient agentClient = KubernetesClients.fromEnvironment(options.kubeconfig());
    CompletableFuture<AutoCloseable> started = new CompletableFuture<>();
    // startOnCluster waits (up to a minute) for the first guest list: with the API server away it must not hold up the test.
    Thread starter = new Thread(() -> {
      try {
        started.complete(NodeAgentMain.startOnCluster(options, agentClient, PrometheusEndpoint.withJvmMetrics()));
      } catch (Throwable t) {
        started.completeExceptionally(t);
      }
    }, "agent-start");
    starter.setDaemon(true);
    starter.start();
    Agent agent = new Agent(agentClient, started);
    agents.add(agent);
    return agent;
  }

  /** The agent reaches the API server through the proxy only, with the product's client configuration. */
  private Path kubeconfig() throws IOException {
    return MockCluster.kubeconfig(tmp.resolve("kubeconfig"), proxy.url(URI.create(client.getConfiguration().getMasterUrl()).getScheme()));
  }

  // --- guests ---

  /** A small real guest: the tiny test ISO, 128 MiB, one vCPU, no NICs, held by the node's finalizer. */
  private static VirtualGuest guest(String name) {
    return Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata:
          name: %s
          namespace: %s
          labels: {"kvmguest.io/node": %s}
          finalizers: ["kvmguest.io/node-cleanup"]
        spec:
          cpus: 1
          memory: 128Mi
          cdroms: [{name: cd, iso: {path: %s}}]
          boot: {order: [cdrom]}
        """.formatted(name, NS, NODE, GuestImages.iso()), VirtualGuest.class);
  }

  private VirtualGuestStatus status(String name) {
    VirtualGuest guest = cluster.guest(NS, name).get();
    return guest == null ? null : guest.getStatus();
  }

  /** Phase Running with the agent's Ready condition: only an agent writes that. */
  private boolean runningByAgent(String name) {
    VirtualGuestStatus status = status(name);
    return status != null && "Running".equals(status.phase())
        && status.conditions().stream().anyMatch(c -> c.type().equals("Ready") && c.status().equals("True"));
  }

  private void awaitRunning(String name, Duration atMost) {
    await(name + " Running").atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> runningByAgent(name));
  }

  /** The qemu records of {@code names}, by guest name, each with a live qemu. */
  private Map<String, GuestRecord> runningRecords(Path stateDir, List<String> names) {
    Map<String, GuestRecord> out = new LinkedHashMap<>();
    for (GuestRecord record : new GuestRecordStore(stateDir).loadAll()) {
      if (names.contains(record.name())) {
        out.put(record.name(), record);
      }
    }
    assertEquals(names.size(), out.size(), "a record per guest: " + out);
    assertTrue(allAlive(out), "each with its qemu running: " + out);
    return out;
  }

  private boolean allAlive(Map<String, GuestRecord> records) {
    return records.values().stream().allMatch(r -> r.pid() != null && processes.isOurs(r.pid(), r.pidFile()));
  }

  // --- the Node ---

  private Map<String, String> labels() {
    Map<String, String> labels = client.nodes().withName(NODE).get().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private String degradedNow() {
    Map<String, String> annotations = client.nodes().withName(NODE).get().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ClusterContract.AGENT_DEGRADED_ANNOTATION);
  }

  /** Every agent-degraded value the Node shows, as the test's own watch on the mock sees them. */
  private Watch watchDegraded(List<String> seen) {
    return client.nodes().withName(NODE).watch(new Watcher<Node>() {
      @Override
      public void eventReceived(Action action, Node node) {
        Map<String, String> annotations = node.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ClusterContract.AGENT_DEGRADED_ANNOTATION);
        if (value != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(value))) {
          seen.add(value);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  // --- waits and figures ---

  /**
   * Polls every goal until all are met (bounded well past {@link #CATCH_UP}, so a slow one is
   * measured rather than cut off) and returns how long after {@code from} each was first seen met.
   */
  private static Map<String, Duration> milestones(long from, Map<String, BooleanSupplier> goals) {
    Map<String, Duration> reached = new LinkedHashMap<>();
    try {
      await("catching up").atMost(CATCH_UP.multipliedBy(6)).pollInterval(Duration.ofMillis(100)).until(() -> {
        goals.forEach((what, goal) -> {
          if (!reached.containsKey(what) && goal.getAsBoolean()) {
            reached.put(what, since(from));
          }
        });
        return reached.size() == goals.size();
      });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("not caught up " + seconds(since(from)) + " after the API returned; reached: " + reached
          + ", missing: " + goals.keySet().stream().filter(g -> !reached.containsKey(g)).toList(), e);
    }
    return reached;
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private static void figure(String name, String format, Object... args) {
    System.out.println("FIGURE " + name + ": " + String.format(format, args));
  }

  private static String describe(Map<String, Duration> reached) {
    List<String> parts = new ArrayList<>();
    reached.forEach((what, after) -> parts.add(what + " " + seconds(after)));
    return String.join(", ", parts);
  }
}
