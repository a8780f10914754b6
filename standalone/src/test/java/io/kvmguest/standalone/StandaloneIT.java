package io.kvmguest.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, for real: the standalone jar started inside a throwaway network
 * namespace, driven by the machine's own kubectl.
 */
class StandaloneIT {
  private static final Map<String, String> DRIVERS = Map.of("virtio", "virtio_net", "e1000", "e1000", "rtl8139", "8139cp");

  @TempDir Path tmp;
  private NetnsFixture ns;
  private StandaloneRun standalone;
  private final List<Process> runs = new ArrayList<>();
  private final LinuxProcessTable processes = new LinuxProcessTable();

  @BeforeEach
  void setUp() {
    Requirements.guestHost();
    Requirements.binary("kubectl");
    ns = NetnsFixture.create("sa");
    standalone = new StandaloneRun(ns, tmp.resolve("state"));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    for (Process run : runs) {
      run.destroy();
      if (!run.waitFor(60, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    if (ns != null) {
      ns.close();
    }
  }

  private Process start(String log, boolean keepGuests) throws IOException {
    Process run = keepGuests ? standalone.start(tmp.resolve(log), "--keep-guests") : standalone.start(tmp.resolve(log));
    runs.add(run);
    return run;
  }

  private CommandResult kubectl(Duration timeout, String... args) {
    return standalone.kubectl(timeout, args);
  }

  private String kubectlOk(String... args) {
    CommandResult r = kubectl(Duration.ofSeconds(300), args);
    if (r.exitCode() != 0) {
      fail("kubectl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout()
          + "\n--- guests:\n" + kubectl(Duration.ofSeconds(30), "get", "vg", "-o", "yaml").stdout() + "\n--- log:\n" + logs());
    }
    return r.stdout();
  }

  private String logs() {
    StringBuilder out = new StringBuilder();
    for (String log : List.of("run1.log", "run2.log")) {
      try {
        if (Files.exists(tmp.resolve(log))) {
          List<String> lines = Files.readAllLines(tmp.resolve(log));
          out.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
        }
      } catch (IOException e) {
        out.append(e);
      }
    }
    return out.toString();
  }

  private Path manifest(String name, String model) throws IOException {
    return Files.writeString(tmp.resolve(name + ".yaml"), GuestManifests.isoGuest(name, model));
  }

  private String awaitIp(String name) {
    return await(name + " has an IP in its status").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectlOk("get", "vg", name, "-o", "jsonpath={.status.interfaces[0].ipAddress}").trim(), ip -> !ip.isEmpty());
  }

  /**
   * Whether {@code ip} answers a ping within 30 s. The agent reports an address once the guest
   * answered ARP for it, but a full run once saw five one-second pings go unanswered right after
   * (three TCG guests still booting on two cores; the cause was not pinned down), so this waits
   * longer than a ping or five.
   */
  private boolean pings(String ip) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      if (ns.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "2", ip).ok()) {
        return true;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }

  private GuestRecord record(String uid) {
    return new GuestRecordStore(tmp.resolve("state/node")).load(uid).orElseThrow(() -> new AssertionError("no record for " + uid));
  }

  @Test
  void kubectlRunsGuestsOfEveryNicModelAndARestartAdoptsThem() throws IOException, InterruptedException {
    Process first = start("run1.log", true);
    for (String model : DRIVERS.keySet()) {
      kubectlOk("apply", "-f", manifest("g-" + model, model).toString());
    }
    kubectlOk("apply", "-f", Files.writeString(tmp.resolve("bad.yaml"), """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: bad}
        spec:
          memory: 256Mi
          cdroms: [{name: cd, iso: {path: /isos/x.iso}}]
          interfaces: [{name: lan, model: virtio-net}]
        """).toString());

    Map<String, String> uids = new HashMap<>();
    for (String model : DRIVERS.keySet()) {
      String name = "g-" + model;
      kubectlOk("wait", "--for=jsonpath={.status.phase}=Running", "vg/" + name, "--timeout=240s");
      String ip = awaitIp(name);
      assertTrue(pings(ip), name + " does not answer ping at " + ip);
      uids.put(name, kubectlOk("get", "vg", name, "-o", "jsonpath={.metadata.uid}").trim());
      // The guest can answer for its address a moment before its READY line reaches the serial log.
      Path serialLog = tmp.resolve("state/node/run").resolve(uids.get(name)).resolve("serial.log");
      String serial = await(name + "'s READY line on its serial console").atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200)).until(() -> Files.readString(serialLog), text -> text.contains("KVMGUEST-READY"));
      assertTrue(serial.contains("driver=" + DRIVERS.get(model)), name + " booted with the wrong NIC driver:\n" + serial);
    }
    String listed = kubectlOk("get", "vg");
    assertTrue(listed.contains("PHASE") && listed.contains("Running") && listed.contains("it-node"), listed);

    String described = kubectlOk("describe", "vg", "bad");
    assertTrue(described.contains("Valid") && described.contains("False") && described.contains("spec.interfaces[0].model"),
        "the invalid guest's Valid=False condition names the field:\n" + described);
    assertTrue(described.contains("Pending"), described);
    // the agent's Events sit next to the operator's, as on a cluster
    String running = await("the agent's Started event on g-virtio").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectlOk("describe", "vg", "g-virtio"), text -> text.contains("kvmguest-node-agent"));
    String events = running.substring(running.indexOf("\nEvents:"));
    assertTrue(events.contains("Started") && events.contains("qemu started") && events.contains("kvmguest-operator"), running);
    String table = kubectlOk("get", "events");
    assertTrue(table.startsWith("LAST SEEN") && table.contains("virtualguest/g-virtio"), table);
    assertTrue(kubectlOk("get", "nodes").lines().findFirst().orElse("").matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION"),
        kubectlOk("get", "nodes"));

    // stop with --keep-guests: the guests keep running, and the next start adopts them
    Map<String, Long> pids = new HashMap<>();
    uids.forEach((name, uid) -> pids.put(name, record(uid).pid()));
    first.destroy();
    assertTrue(waitFor(first), "standalone did not stop on SIGTERM");
    for (var e : pids.entrySet()) {
      assertTrue(processes.isOurs(e.getValue(), record(uids.get(e.getKey())).pidFile()), e.getKey() + " stopped with --keep-guests");
    }
    start("run2.log", false);
    for (String name : uids.keySet()) {
      kubectlOk("wait", "--for=jsonpath={.status.phase}=Running", "vg/" + name, "--timeout=60s");
      assertEquals(pids.get(name), record(uids.get(name)).pid(), name + " was restarted instead of adopted");
    }
    assertTrue(kubectlOk("get", "vg", "bad").contains("bad"), "objects persist across restarts");

    // kubectl delete: the guest goes, with its qemu and its tap
    String uid = uids.get("g-e1000");
    GuestRecord e1000 = record(uid);
    kubectlOk("delete", "vg", "g-e1000", "--timeout=90s");
    assertFalse(processes.isOurs(e1000.pid(), e1000.pidFile()), "qemu still runs after kubectl delete");
    assertFalse(ns.run(Duration.ofSeconds(5), "ip", "-o", "link").stdout().contains(e1000.taps().get(0)), "tap left behind");
    assertFalse(kubectl(Duration.ofSeconds(30), "get", "vg", "g-e1000").ok(), "the object is gone");
  }

  private static boolean waitFor(Process p) {
    try {
      return p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
