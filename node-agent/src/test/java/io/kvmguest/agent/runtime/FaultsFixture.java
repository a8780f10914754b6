package io.kvmguest.agent.runtime;

import static org.awaitility.Awaitility.await;

import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.net.TapNames;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the fault-injection tests share: a throwaway node namespace, the agent's files
 * ({@link AgentHarness}), the agent as a process of its own or in this JVM, tiny guests that never
 * leave the firmware, and looks at the host (qemu processes, taps, threads, descriptors).
 */
final class FaultsFixture implements AutoCloseable {
  /** Every wait in these tests polls this often, so a measured time is at most this much late. */
  static final Duration POLL = Duration.ofMillis(100);

  final Path root;
  final NetnsFixture node;
  final AgentHarness h;
  private final List<AgentProcess> processes = new ArrayList<>();
  private NodeAgent inProcess;
  private static final LinuxProcessTable PROCESSES = new LinuxProcessTable();

  /** An agent running as its own JVM, as on a node; its output goes to {@code log}. */
  record AgentProcess(Process process, Path log, long startedNanos) {
    String output() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    long count(String text) {
      String out = output();
      long n = 0;
      for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + text.length())) {
        n++;
      }
      return n;
    }
  }

  FaultsFixture(Path root, String purpose) throws IOException {
    Requirements.root();
    for (String name : new String[] {"ip", "dnsmasq", "iptables", "qemu-system-x86_64", "qemu-img"}) {
      Requirements.binary(name);
    }
    this.root = root;
    this.node = NetnsFixture.create(purpose);
    this.h = new AgentHarness(root, node);
  }

  /**
   * 64Mi, an empty 16Mi disk and nothing to boot from: the guest stays in the firmware (SeaBIOS
   * finds no bootable disk, then the NIC's option ROM finds no boot file), where no OS listens to
   * the ACPI power button. So a stop always waits out the whole grace, then quits qemu. One NIC on
   * the node's bridge, so every guest has a tap.
   */
  static String firmwareGuest(String name) {
    return """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s}
        spec:
          memory: 64Mi
          disks: [{name: root, image: {size: 16Mi}}]
          boot: {order: [disk]}
          interfaces: [{name: lan, model: e1000}]
        """.formatted(name);
  }

  private List<String> agentArgs(int stopGraceSeconds) {
    return List.of("--state-dir", h.stateDir.toString(), "--guests-dir", h.guestsDir.toString(), "--netns", node.name(),
        "--stop-grace", Integer.toString(stopGraceSeconds), "--node-name", "faults-node");
  }

  /** Starts the agent program in a JVM of its own. */
  AgentProcess startProcess(String logName, int stopGraceSeconds) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> argv = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-Dorg.slf4j.simpleLogger.log.io.kvmguest.agent.qmp=debug", NodeAgentMain.class.getName()));
    argv.addAll(agentArgs(stopGraceSeconds));
    Path log = root.resolve(logName);
    long started = System.nanoTime();
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    AgentProcess agent = new AgentProcess(p, log, started);
    processes.add(agent);
    return agent;
  }

  /** Wires and starts the agent in this JVM, so the test can count its threads and descriptors. */
  NodeAgent startInProcess(int stopGraceSeconds) {
    AgentOptions options = AgentOptions.parse(agentArgs(stopGraceSeconds), Map.of(), "faults-node");
    inProcess = NodeAgentMain.wire(options, new DirectoryGuestSource(h.guestsDir, Duration.ofMillis(200)),
        new DirectoryStatusSink(h.guestsDir.resolve("status")), SecretSource.NONE).agent();
    inProcess.start();
    return inProcess;
  }

  void applyAll(Collection<String> names) throws IOException {
    for (String name : names) {
      h.apply(name, firmwareGuest(name));
    }
  }

  boolean running(String name) {
    return h.status(name).map(s -> "Running".equals(s.phase())).orElse(false);
  }

  /** Waits until each guest's status says Running; returns the seconds that took. */
  double awaitRunning(Collection<String> names, Duration atMost) {
    long t0 = System.nanoTime();
    await("all of " + names + " Running").atMost(atMost).pollInterval(POLL)
        .until(() -> names.stream().allMatch(this::running));
    return seconds(System.nanoTime() - t0);
  }

  /** The qemu pid of each guest, from the agent's records. */
  Map<String, Long> pids(Collection<String> names) {
    Map<String, Long> pids = new LinkedHashMap<>();
    GuestRecordStore store = new GuestRecordStore(h.stateDir);
    for (String name : names) {
      GuestRecord record = store.load(AgentHarness.uid(name)).orElseThrow(() -> new AssertionError("no record for " + name));
      pids.put(name, record.pid());
    }
    return pids;
  }

  /**
   * Waits until the firmware of each qemu is done with its start (the NIC's boot ROM asks for a
   * lease and a boot file, then gives up): less than 0.1 s of CPU in 1 s each. Under TCG that
   * start takes ~10 s of CPU per guest, so a test that times the agent measures the agent, not
   * guests still booting beside it on 2 cores. Returns the seconds that took.
   */
  double awaitFirmwareIdle(Collection<Long> pids, Duration atMost) {
    long t0 = System.nanoTime();
    Map<Long, Long> last = new java.util.HashMap<>();
    await("qemus " + pids + " idle in their firmware").atMost(atMost).pollInterval(Duration.ofSeconds(1)).until(() -> {
      boolean idle = true;
      for (long pid : pids) {
        long ticks = cpuTicks(pid);
        Long before = last.put(pid, ticks);
        idle &= before != null && ticks - before < 10; // 100 ticks a second
      }
      return idle;
    });
    return seconds(System.nanoTime() - t0);
  }

  /** utime + stime of a process, in clock ticks. */
  private static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code pid} is a live (not zombie) qemu of this test's state dir. */
  boolean isOurQemu(long pid) {
    return PROCESSES.commandLine(pid).map(this::ourQemu).orElse(false);
  }

  private boolean ourQemu(List<String> argv) {
    return !argv.isEmpty() && argv.get(0).contains("qemu-system") && String.join(" ", argv).contains(h.stateDir.toString());
  }

  /** Every live qemu on the host whose command line names this test's state dir. */
  List<Long> ourQemus() {
    List<Long> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.map(p -> p.getFileName().toString()).filter(s -> s.chars().allMatch(Character::isDigit)).map(Long::parseLong)
          .forEach(pid -> PROCESSES.commandLine(pid).filter(this::ourQemu).ifPresent(a -> found.add(pid)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Our taps in the node namespace, from {@code ip -o link}. */
  List<String> taps() {
    return h.links().lines().map(l -> l.split(":\\s+", 3)).filter(f -> f.length > 1).map(f -> f[1].replaceFirst("@.*", ""))
        .filter(TapNames::isTapName).sorted().toList();
  }

  /** Every file and directory under the state dir, relative to it. */
  TreeSet<String> stateFiles() {
    try (Stream<Path> all = Files.walk(h.stateDir)) {
      return all.filter(p -> !p.equals(h.stateDir)).map(p -> h.stateDir.relativize(p).toString())
          .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Name prefixes of the threads the agent makes (NodeAgent, GuestWorker, StatusOutbox, supervisor, QMP, sources). */
  static final List<String> AGENT_THREADS = List.of("guest ", "status-writer", "orphan-stop", "node-agent", "guest-supervisor-poll",
      "qmp-reader", "qmp-events", "guest-dir-poll", "download-watchdog", "guest-metrics-sampler");

  /** Live threads of this JVM per agent thread kind (prefix), zero counts left out. */
  static TreeMap<String, Integer> agentThreads() {
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!t.isAlive()) {
        continue;
      }
      AGENT_THREADS.stream().filter(prefix -> t.getName().startsWith(prefix)).findFirst()
          .ifPresent(prefix -> counts.merge(prefix.strip(), 1, Integer::sum));
    }
    return counts;
  }

  static int openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static void figure(String name, String text) {
    System.out.println("FIGURE " + name + ": " + text);
    System.out.flush();
  }

  /** SIGKILLs the agent processes and closes the in-process agent (keeping guests); the namespace's close ends the qemus. */
  @Override
  public void close() throws InterruptedException {
    for (AgentProcess agent : processes) {
      agent.process().destroyForcibly();
      agent.process().waitFor(20, TimeUnit.SECONDS);
    }
    if (inProcess != null && inProcess.isRunning()) {
      inProcess.close(true);
    }
    node.close(); // stops, by pid, what still runs in the namespace (qemu, dnsmasq), then deletes it
  }
}
