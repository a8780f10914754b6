package io.kvmguest.packaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path under a real container runtime: the images `make images` built, run by podman
 * with the container specs the chart renders (command, args, env, securityContext, mounts),
 * against a Kubernetes API inside a test network namespace. The point: removing the agent's
 * container by force, as a kubelet does on an upgrade, leaves every guest running, and the next
 * agent container adopts them.
 */
class AgentContainerIT {
  private static final String NODE = "it-node";
  private static final String NAMESPACE = Helm.NAMESPACE;
  private static final Duration ADOPTION_LIMIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private final String suffix = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private final String cgroupParent = "kvmguest-it-" + suffix;
  private final Podman podman = new Podman();
  private final LinuxProcessTable processes = new LinuxProcessTable();
  private final List<GuestRecord> launched = new ArrayList<>();
  private NetnsFixture ns;
  private ControlPlane plane;
  private Path stateDir;

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    Requirements.binary("podman");
    Requirements.binary("curl");
    stateDir = Files.createDirectories(tmp.resolve("state"));
    ns = NetnsFixture.create("pod");
    plane = ControlPlane.start(ns, tmp);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    podman.printLogs();
    podman.close();
    if (plane != null) {
      plane.close();
    }
    if (ns != null) {
      ns.close(); // stops what still runs inside, the remaining qemu among them
    }
    for (GuestRecord r : launched) {
      assertFalse(processes.isOurs(r.pid(), r.pidFile()), r.key() + "'s qemu is still running after the test");
    }
    GuestCgroupDirs.removeTree(cgroupParent, Duration.ofSeconds(20));
    assertTrue(GuestCgroupDirs.find(cgroupParent).isEmpty(), "cgroup dirs left behind: " + GuestCgroupDirs.find(cgroupParent));
  }

  private Rendered render() throws IOException {
    Path values = Files.writeString(tmp.resolve("it-values.yaml"), """
        agent:
          stateDir: %s
          allowedImageDirs: [%s]
          guestCgroupParent: %s
          network:
            mode: nat
        """.formatted(stateDir, GuestImages.OUT, cgroupParent));
    return Helm.render(values);
  }

  private List<String> runArgv(String name, PodSpec pod) {
    Container c = pod.getContainers().get(0);
    Map<String, String> downward = Map.of("spec.nodeName", NODE, "metadata.namespace", NAMESPACE, "metadata.name", name);
    return PodmanRun.argv(name, pod, c, ns.name(), plane.readableKubeconfig().toString(), downward, Podman.inheritedUlimits());
  }

  @Test
  void guestsOutliveAForcedRemovalOfTheAgentContainerAndTheNextOneAdoptsThem() throws IOException {
    Map<String, String> figures = new LinkedHashMap<>();
    Rendered chart = render();
    PodSpec operatorPod = chart.operator().getSpec().getTemplate().getSpec();
    PodSpec agentPod = chart.agent().getSpec().getTemplate().getSpec();
    for (PodSpec pod : List.of(operatorPod, agentPod)) {
      String image = pod.getContainers().get(0).getImage();
      assertTrue(podman.podman(Duration.ofSeconds(30), "image", "exists", image).ok(), image + " is missing: make images builds it");
    }
    plane.apply("node", "apiVersion: v1\nkind: Node\nmetadata:\n  name: " + NODE + "\n");

    // The operator image answers its readiness probe against the test's API.
    long t0 = System.nanoTime();
    String operator = podman.start(runArgv("kvg-it-operator-" + suffix, operatorPod));
    Container operatorContainer = operatorPod.getContainers().get(0);
    HTTPGetAction ready = operatorContainer.getReadinessProbe().getHttpGet();
    String readyUrl = "http://127.0.0.1:" + port(operatorContainer, ready.getPort()) + ready.getPath();
    await("operator readiness " + readyUrl).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> {
          assertTrue(podman.running(operator), "the operator container stopped:\n" + podman.logs(operator));
          return ns.run(Duration.ofSeconds(5), "curl", "-sf", readyUrl).ok();
        });
    figures.put("operator container start → ready", seconds(t0));

    t0 = System.nanoTime();
    String agent = podman.start(runArgv("kvg-it-agent-" + suffix, agentPod));
    Map<String, String> uids = new LinkedHashMap<>();
    for (String[] guest : new String[][] {{"g-virtio", "virtio"}, {"g-e1000", "e1000"}}) {
      plane.apply(guest[0], GuestManifests.isoGuest(guest[0], guest[1]));
    }
    Map<String, GuestRecord> records = new LinkedHashMap<>();
    for (String name : List.of("g-virtio", "g-e1000")) {
      awaitPhase(name, "Running", Duration.ofSeconds(300), agent);
      String ip = awaitIp(name);
      assertTrue(pings(ip), name + " does not answer ping at " + ip);
      String uid = plane.kubectlOk("get", "vg", name, "-o", "jsonpath={.metadata.uid}").strip();
      uids.put(name, uid);
      records.put(name, record(uid));
      launched.add(records.get(name));
      assertInOwnCgroup(records.get(name));
    }
    figures.put("agent container start → both guests Running and pinging", seconds(t0));

    // The kubelet's hard stop: every process in the agent container's cgroup is killed.
    t0 = System.nanoTime();
    podman.forceRemove(agent);
    assertFalse(podman.exists(agent), "the agent container still exists");
    for (var e : records.entrySet()) {
      assertTrue(processes.isOurs(e.getValue().pid(), e.getValue().pidFile()), e.getKey() + "'s qemu died with the agent container");
      assertTrue(pings(awaitIp(e.getKey())), e.getKey() + " stopped answering ping after the agent container was removed");
    }
    figures.put("agent removed by force, guests checked alive", seconds(t0));

    t0 = System.nanoTime();
    String next = podman.start(runArgv("kvg-it-agent2-" + suffix, agentPod));
    long started = System.nanoTime();
    await("the new agent container adopts both guests").atMost(ADOPTION_LIMIT).pollInterval(Duration.ofMillis(200))
        .until(() -> records.entrySet().stream().allMatch(e -> podman.logs(next).contains(
            "adopted running guest default/" + e.getKey() + " (qemu pid " + e.getValue().pid() + ")")));
    figures.put("new agent container start → both guests adopted", seconds(started));
    for (var e : records.entrySet()) {
      GuestRecord now = record(uids.get(e.getKey()));
      assertEquals(e.getValue().pid(), now.pid(), e.getKey() + " was restarted instead of adopted");
      assertTrue(processes.isOurs(now.pid(), now.pidFile()), e.getKey() + "'s qemu is gone");
      assertEquals("Running", phase(e.getKey()), e.getKey() + " is not Running after adoption");
      assertTrue(pings(awaitIp(e.getKey())), e.getKey() + " does not answer ping after adoption");
    }

    // Deleting a guest through the API cleans it up: qemu, tap, cgroup, record, object.
    t0 = System.nanoTime();
    GuestRecord gone = records.get("g-e1000");
    plane.kubectlOk("delete", "vg", "g-e1000", "--timeout=120s");
    figures.put("kubectl delete → object gone", seconds(t0));
    assertFalse(processes.isOurs(gone.pid(), gone.pidFile()), "qemu still runs after kubectl delete");
    assertFalse(ns.exec("ip", "-o", "link").stdout().contains(gone.taps().get(0)), "tap left behind");
    await("the deleted guest's cgroup dirs are removed").atMost(Duration.ofSeconds(20))
        .until(() -> GuestCgroupDirs.find(cgroupParent + "/" + gone.uid()).isEmpty());
    assertFalse(plane.kubectl(Duration.ofSeconds(30), "get", "vg", "g-e1000").ok(), "the object is still there");

    System.out.println("AgentContainerIT figures (this machine, TCG):");
    figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
    Files.writeString(Path.of("target", "agent-container-figures.txt"), figures.toString() + "\n");
  }

  /** A probe's port: a number, or the name of one of the container's ports. */
  private static int port(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal())).getContainerPort();
  }

  private void assertInOwnCgroup(GuestRecord record) throws IOException {
    String expected = "/" + cgroupParent + "/" + record.uid();
    List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(record.pid()), "cgroup"));
    for (String line : lines) {
      assertTrue(line.endsWith(expected), record.key() + "'s qemu is not in a cgroup of its own (" + expected + "): " + line);
    }
  }

  private GuestRecord record(String uid) {
    return new GuestRecordStore(stateDir).load(uid).orElseThrow(() -> new AssertionError("no record for " + uid));
  }

  private String phase(String name) {
    return plane.kubectlOk("get", "vg", name, "-o", "jsonpath={.status.phase}").strip();
  }

  private void awaitPhase(String name, String phase, Duration limit, String agent) {
    await(name + " " + phase).atMost(limit).pollInterval(Duration.ofSeconds(1)).until(() -> {
      assertTrue(podman.running(agent), "the agent container stopped:\n" + podman.logs(agent));
      return phase.equals(phase(name));
    });
  }

  private String awaitIp(String name) {
    return await(name + " has an IP").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> plane.kubectlOk("get", "vg", name, "-o", "jsonpath={.status.interfaces[0].ipAddress}").strip(), ip -> !ip.isEmpty());
  }

  /** A few tries: the first ping right after a lease is often lost. */
  private boolean pings(String ip) {
    for (int i = 0; i < 5; i++) {
      if (ns.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", ip).ok()) {
        return true;
      }
    }
    return false;
  }

  private static String seconds(long startNanos) {
    return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
  }
}
