package io.kvmguest.agent.runtime;

import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.supervise.GuestControl;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How fast the node agent starts and stops a burst of guests, and what it costs in memory. The
 * agent runs in this JVM over a guests dir, inside a throwaway network namespace:
 *
 * <ul>
 *   <li>10 real guests (the tiny ISO guest, a virtio NIC, qemu under TCG) written at once: from the
 *       file landing to the qemu pid in {@link NodeAgent#guestViews()}; then, once booted, all
 *       deleted at once: to the qemu process being gone;
 *   <li>20 and 100 guests with {@code fake-qemu.sh} as qemu (the agent's pipeline only: spec, disk
 *       overlay, tap, launch, pidfile; no QMP), same two measures;
 *   <li>apply → the guest's own DHCP lease for those 10 real guests and for 1, and for the same guests
 *       booted by hand ({@link HandRunHost}) in the same run: the ratio is the figure;
 *   <li>the JVM's VmRSS (and heap in use) after GC at 0 guests, at 10 real and at 50 fake ones.
 * </ul>
 *
 * Prints a table and writes its section of docs/benchmarks.md, as markdown, to the file given as
 * argument 1 ({@code make bench} splices it in). Needs root, qemu and the test guest image
 * (KVMGUEST_IMAGE_DIR).
 */
public final class StartBurstBenchmark {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(150);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern READY = Pattern.compile("KVMGUEST-READY");

  private StartBurstBenchmark() {}

  /** p50/p95/max of one burst, in ms; failed = guests that did not get there in time. */
  record Latencies(double p50, double p95, double max, int failed) {
    static Latencies of(List<Double> ms, int expected) {
      double[] a = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      if (a.length == 0) {
        return new Latencies(Double.NaN, Double.NaN, Double.NaN, expected);
      }
      return new Latencies(pct(a, 50), pct(a, 95), a[a.length - 1], expected - a.length);
    }

    /** Nearest-rank percentile. */
    private static double pct(double[] sorted, int p) {
      int rank = (int) Math.ceil(p / 100.0 * sorted.length);
      return sorted[Math.max(0, rank - 1)];
    }
  }

  /** {@code lease}: apply → the guest's own DHCP lease (KVMGUEST-READY on its serial console), for real guests. */
  record Burst(String what, int guests, Latencies start, Latencies stop, Optional<Latencies> lease, double agentCpuSeconds) {}

  /** The same guests' apply → lease through the product and booted by hand, in one run. */
  record LeaseRace(int guests, Latencies product, Latencies handRun) {
    double ratioMax() {
      return product.max() / handRun.max();
    }

    /** The figure: the last guest's lease for a burst; the median round for one guest (see main). */
    double ratio() {
      return guests == 1 ? ratioP50() : ratioMax();
    }

    double ratioP50() {
      return product.p50() / handRun.p50();
    }
  }

  record Memory(String point, int guests, long rssKiB, long heapKiB) {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench/start-burst.md");
    GuestImages.iso(); // fails early without the image
    List<Burst> bursts = new ArrayList<>();
    List<Memory> memory = new ArrayList<>();
    List<LeaseRace> races = new ArrayList<>();
    long t0 = System.nanoTime();
    String loadBefore = AgentBenchmarks.loadAverage();

    Path root = Files.createTempDirectory("kvg-bench");
    try {
      try (NetnsFixture node = NetnsFixture.create("bench")) {
        AgentHarness h = new AgentHarness(root.resolve("real"), node);
        NodeAgent agent = h.startAgent("bench-node", "--stop-grace", "10");
        try {
          memory.add(memory("real agent, no guests", 0));
          Burst real = burst(h, agent, "real qemu (TCG)", "r", 10, true, () -> memory.add(memory("10 real guests running", 10)));
          bursts.add(real);
          print(real);
          races.add(new LeaseRace(10, real.lease().orElseThrow(), handRun(root.resolve("hand10"), 10)));
          // One guest's lease varies by whole DHCP retries (seconds): three rounds, each alternating, the median kept.
          List<Double> productOne = new ArrayList<>();
          List<Double> handOne = new ArrayList<>();
          for (int round = 0; round < 3; round++) {
            Burst one = burst(h, agent, "real qemu (TCG)", "s" + round + "-", 1, true, () -> {});
            print(one);
            if (round == 0) {
              bursts.add(one);
            }
            productOne.add(one.lease().orElseThrow().p50());
            handOne.add(handRun(root.resolve("hand1-" + round), 1).p50());
          }
          races.add(new LeaseRace(1, Latencies.of(productOne, 3), Latencies.of(handOne, 3)));
          races.forEach(StartBurstBenchmark::print);
          // Growth per guest on a warmed JVM: the first burst also paid for class loading and JIT code.
          memory.add(memory("real agent, warmed, no guests", 0));
          Burst warmed = burst(h, agent, "real qemu (TCG), warmed", "w", 10, true,
              () -> memory.add(memory("10 real guests running, warmed", 10)));
          bursts.add(warmed);
          print(warmed);
        } finally {
          agent.close(false);
        }
      }
      try (NetnsFixture node = NetnsFixture.create("fbench")) {
        AgentHarness h = new AgentHarness(root.resolve("fake"), node);
        NodeAgent agent = fakeQemuAgent(h, root.resolve("fake-qemu.sh"));
        try {
          memory.add(memory("fake agent, no guests", 0));
          for (int n : new int[] {20, 100}) {
            Burst b = burst(h, agent, "fake qemu", "f" + n + "-", n, false, () -> {});
            bursts.add(b);
            print(b);
          }
          burst(h, agent, "fake qemu", "m", 50, false, () -> memory.add(memory("50 fake guests running", 50)));
        } finally {
          agent.close(false);
        }
      }
    } finally {
      AgentBenchmarks.deleteTree(root);
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    String table = table(bursts, memory, races, minutes)
        + String.format("Load average (1/5/15 min) before the run: %s; after it: %s.%n", loadBefore, AgentBenchmarks.loadAverage());
    System.out.println();
    System.out.println(table);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, section(table));
    System.out.println("written to " + out.toAbsolutePath());
    System.exit(0); // the agents' non-daemon helper threads (status writers, pools) must not keep the JVM
  }

  /**
   * Writes {@code n} guests at once, times each from its file landing to its qemu pid in the
   * agent's views; then (after {@code waitBoot}: each guest on its serial console) runs {@code
   * whileUp}, deletes them all at once and times each to its qemu being gone.
   */
  private static Burst burst(AgentHarness h, NodeAgent agent, String what, String prefix, int n, boolean waitBoot,
      Runnable whileUp) throws IOException {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("b" + prefix + i);
    }
    Map<String, Long> applied = new HashMap<>();
    double cpu0 = jvmCpuSeconds();
    for (String name : names) {
      h.apply(name, GuestManifests.isoGuest(name, "virtio"));
      applied.put(name, System.nanoTime());
    }
    Map<String, Long> pids = new HashMap<>();
    List<Double> startMs = new ArrayList<>();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (pids.size() < n && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      for (GuestView v : agent.guestViews()) {
        if (applied.containsKey(v.name()) && v.pid().isPresent() && !pids.containsKey(v.name())) {
          pids.put(v.name(), v.pid().get());
          startMs.add((now - applied.get(v.name())) / 1e6);
        }
      }
      AgentHarness.sleep(5);
    }
    Optional<Latencies> lease = Optional.empty();
    if (waitBoot) {
      lease = Optional.of(Latencies.of(untilReady(new ArrayList<>(pids.keySet()), h::serialLog, applied), n));
    }
    double agentCpu = jvmCpuSeconds() - cpu0;
    whileUp.run();
    Map<String, Long> deleted = new HashMap<>();
    for (String name : names) {
      h.delete(name);
      deleted.put(name, System.nanoTime());
    }
    List<Double> stopMs = new ArrayList<>();
    Map<String, Long> pending = new HashMap<>(pids);
    long stopDeadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < stopDeadline) {
      long now = System.nanoTime();
      pending.entrySet().removeIf(e -> {
        if (alive(e.getValue())) {
          return false;
        }
        stopMs.add((now - deleted.get(e.getKey())) / 1e6);
        return true;
      });
      AgentHarness.sleep(5);
    }
    AgentBenchmarks.awaitNoGuests(agent, STOP_TIMEOUT); // the next burst starts from an agent with no workers left
    return new Burst(what, n, Latencies.of(startMs, n), Latencies.of(stopMs, n), lease, agentCpu);
  }

  /**
   * Waits for each guest's serial console to say KVMGUEST-READY (its DHCP client bound a lease),
   * polling all of them every 50 ms; ms from each guest's start in {@code since}.
   */
  private static List<Double> untilReady(List<String> names, java.util.function.Function<String, Path> serial, Map<String, Long> since) {
    List<Double> ms = new ArrayList<>();
    List<String> pending = new ArrayList<>(names);
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      pending.removeIf(name -> {
        if (!READY.matcher(AgentBenchmarks.serial(serial.apply(name))).find()) {
          return false;
        }
        ms.add((now - since.get(name)) / 1e6);
        return true;
      });
      AgentHarness.sleep(50);
    }
    return ms;
  }

  /** CPU time of this JVM (the agent, and the benchmark's polling), user + system. */
  private static double jvmCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
  }

  /**
   * Boots {@code n} of the same guests by hand ({@link HandRunHost}: no product code), one after
   * another as a script would, all timed from the script's start to each one's lease.
   */
  private static Latencies handRun(Path dir, int n) throws IOException {
    try (HandRunHost host = HandRunHost.create(dir)) {
      Map<String, Long> started = new HashMap<>();
      List<String> names = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String name = "hand" + i;
        names.add(name);
        started.put(name, t0);
        host.boot(name, i, "virtio", String.format("52:54:00:79:00:%02x", i + 1));
      }
      return Latencies.of(untilReady(names, host::serial, started), n);
    }
  }

  /** Alive unless its /proc entry is gone or a zombie (a daemonized qemu is not our child). */
  private static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  private static Memory memory(String point, int guests) {
    for (int i = 0; i < 3; i++) {
      System.gc();
      AgentHarness.sleep(200);
    }
    Runtime rt = Runtime.getRuntime();
    long heap = (rt.totalMemory() - rt.freeMemory()) / 1024;
    long rss = -1;
    try {
      rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    } catch (IOException e) {
      // stays -1
    }
    return new Memory(point, guests, rss, heap);
  }

  /**
   * The agent as {@link NodeAgentMain#wire} builds it, with {@code fake-qemu.sh} as qemu and no QMP
   * (the fake has no monitor, so the supervisor watches pids only and stops with SIGTERM). Only its
   * dispatch is started: the metrics sampler and the network check have no part in a burst.
   */
  private static NodeAgent fakeQemuAgent(AgentHarness h, Path fakeCopy) throws IOException {
    try (InputStream in = StartBurstBenchmark.class.getResourceAsStream("/fake-qemu.sh")) {
      Files.copy(in, fakeCopy, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.setPosixFilePermissions(fakeCopy, PosixFilePermissions.fromString("rwxr-xr-x"));
    AgentOptions options = AgentOptions.parse(List.of("--state-dir", h.stateDir.toString(), "--guests-dir", h.guestsDir.toString(),
        "--netns", h.node.name(), "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "10"), Map.of(), "bench-node");
    GuestControl.Factory noMonitor = (record, onClose) -> {
      throw new IllegalStateException("fake qemu has no QMP monitor");
    };
    NodeAgent agent = NodeAgentMain.wire(options, new DirectoryGuestSource(h.guestsDir, Duration.ofMillis(200)),
        new DirectoryStatusSink(h.guestsDir.resolve("status")), SecretSource.NONE, GuestEvents.NONE, PrometheusEndpoint.withJvmMetrics(),
        new NodeAgentMain.QemuWiring(facts -> facts.withQemuBinary(fakeCopy), noMonitor)).agent();
    agent.start();
    return agent;
  }

  private static void print(Burst b) {
    System.out.printf("%-16s %4d guests  start p50/p95/max %s  stop %s%s%n", b.what(), b.guests(), ms(b.start()), ms(b.stop()),
        b.lease().map(l -> "  lease " + ms(l)).orElse("") + String.format("  agent JVM CPU %.1f s", b.agentCpuSeconds()));
  }

  private static void print(LeaseRace r) {
    System.out.printf("apply → lease, %2d guests: product %s, hand-run %s, ratio %.2f%n", r.guests(), ms(r.product()),
        ms(r.handRun()), r.ratio());
  }

  private static String ms(Latencies l) {
    String s = String.format("%.0f / %.0f / %.0f ms", l.p50(), l.p95(), l.max());
    return l.failed() > 0 ? s + " (" + l.failed() + " not in time)" : s;
  }

  static String table(List<Burst> bursts, List<Memory> memory, List<LeaseRace> races, double minutes) {
    StringBuilder t = new StringBuilder();
    t.append("| burst | guests | apply → qemu started p50 / p95 / max | delete → qemu gone p50 / p95 / max | agent JVM CPU until deleted |\n");
    t.append("|---|---|---|---|---|\n");
    for (Burst b : bursts) {
      t.append("| ").append(b.what()).append(" | ").append(b.guests()).append(" | ").append(ms(b.start())).append(" | ")
          .append(ms(b.stop())).append(String.format(" | %.1f s |%n", b.agentCpuSeconds()));
    }
    t.append("\n| apply → guest's own DHCP lease | guests | product p50 / p95 / max | hand-run p50 / p95 / max | product / hand-run (p50; last guest) |\n");
    t.append("|---|---|---|---|---|\n");
    for (LeaseRace r : races) {
      t.append(String.format("| real qemu (TCG), virtio | %d | %s | %s | %.2f; %.2f |%n", r.guests(), ms(r.product()), ms(r.handRun()),
          r.ratioP50(), r.ratioMax()));
    }
    t.append("\n| agent JVM after GC | guests | VmRSS MiB | heap in use MiB |\n|---|---|---|---|\n");
    for (Memory m : memory) {
      t.append(String.format("| %s | %d | %.1f | %.1f |%n", m.point(), m.guests(), m.rssKiB() / 1024.0, m.heapKiB() / 1024.0));
    }
    Memory real0 = find(memory, "real agent, no guests");
    Memory real10 = find(memory, "10 real guests running");
    Memory fake0 = find(memory, "fake agent, no guests");
    Memory fake50 = find(memory, "50 fake guests running");
    Memory warm0 = find(memory, "real agent, warmed, no guests");
    Memory warm10 = find(memory, "10 real guests running, warmed");
    double firstGrowth = (real10.rssKiB() - real0.rssKiB()) / 1024.0 / 10;
    double realGrowth = (warm10.rssKiB() - warm0.rssKiB()) / 1024.0 / 10;
    double fakeGrowth = (fake50.rssKiB() - fake0.rssKiB()) / 1024.0 / 50;
    double realHeap = (warm10.heapKiB() - warm0.heapKiB()) / 1024.0 / 10;
    double fakeHeap = (fake50.heapKiB() - fake0.heapKiB()) / 1024.0 / 50;
    t.append(String.format("%nPer-guest growth of the agent: VmRSS %.2f MiB (real, 0→10 on a warmed JVM; %.2f MiB on the first "
        + "burst, which also loads classes and compiles code), %.2f MiB (fake, 0→50); heap in use %.2f MiB (real), %.2f MiB (fake).%n",
        realGrowth, firstGrowth, fakeGrowth, realHeap, fakeHeap));

    Burst real = bursts.stream().filter(b -> b.what().startsWith("real") && b.guests() == 10).findFirst().orElseThrow();
    Burst fake20 = bursts.stream().filter(b -> b.what().startsWith("fake") && b.guests() == 20).findFirst().orElseThrow();
    double growth = Math.max(realGrowth, fakeGrowth);
    t.append("\n| goal | measured | |\n|---|---|---|\n");
    Burst warmedBurst = bursts.stream().filter(b -> b.what().endsWith("warmed")).findFirst().orElseThrow();
    t.append(goal("burst of 10 real guests, apply → qemu started p95 ≤ 1.5 s (agent running a while)", warmedBurst.start(), 1500));
    t.append(goal("the same, first burst after the agent started (JVM cold)", real.start(), 1500));
    t.append(goal("fake qemu burst of 20, apply → qemu started p95 ≤ 0.3 s", fake20.start(), 300));
    for (LeaseRace r : races) {
      boolean met = r.product().failed() == 0 && r.handRun().failed() == 0 && r.ratio() <= 1.05;
      t.append(String.format("| apply → lease, %s: product / hand-run ≤ 1.05 | %.2f | %s |%n",
          r.guests() == 1 ? "1 guest (median of 3 rounds)" : r.guests() + " guests at once (last guest)", r.ratio(), met ? "met" : "**missed**"));
    }
    t.append(String.format("| agent growth ≤ 2 MiB per guest (VmRSS on a warmed JVM, worse of real and fake) | %.2f MiB | %s |%n", growth,
        growth <= 2 ? "met" : "**missed**"));
    t.append(String.format("%nWhole run: %.1f min.%n", minutes));
    return t.toString();
  }

  private static String goal(String what, Latencies l, double limitMs) {
    boolean met = l.failed() == 0 && l.p95() <= limitMs;
    return String.format("| %s | p95 %.0f ms%s | %s |%n", what, l.p95(), l.failed() > 0 ? ", " + l.failed() + " not in time" : "",
        met ? "met" : "**missed**");
  }

  private static Memory find(List<Memory> memory, String point) {
    return memory.stream().filter(m -> m.point().equals(point)).findFirst().orElse(new Memory(point, 0, 0, 0));
  }

  private static String section(String table) {
    return """
        ## Start burst: how fast the node agent starts and stops many guests at once

        The agent runs inside the benchmark's JVM over a guests dir (as with `--guests-dir`), its network (a NAT
        bridge with dnsmasq) in a network namespace the benchmark creates and deletes. Each burst writes all its
        guest files at once (the tiny test ISO guest: 256Mi, an empty 64Mi disk, one virtio NIC) and measures
        per guest:

        - **apply → qemu started**: from the guest's file landing in the guests dir (which the agent watches
          through inotify, as it gets an informer event on a cluster) to its qemu pid appearing in
          the agent's guest views (the guest seen, its disk overlay made, its tap made, qemu launched and its
          pidfile read; for real qemu also its QMP monitor connected);
        - **delete → qemu gone**: from the file's removal to the qemu process no longer existing. Real guests are
          deleted once booted (their serial console says `KVMGUEST-READY`), so they power off through ACPI;
        - **apply → guest's own DHCP lease** (real guests, 10 at once and 1 alone): to `KVMGUEST-READY` on the
          guest's serial console, which its DHCP client prints once it has bound a lease. The same guests are
          then booted by hand in the same run (`HandRunHost`: a bridge with an address and dnsmasq, then per
          guest `qemu-img create`, a tap on the bridge and qemu with the classic `-m -hda -cdrom -boot d
          -net nic,model=virtio,macaddr=… -net tap` options, one guest after another as a script would; no
          product code), each timed from the script's start. The ratio product / hand-run is the figure. A
          single guest's lease moves by whole DHCP retries (its client waits 3 s before asking again), so the
          1-guest race is run three times, alternating, and its figures are over those three rounds.

        The agent JVM's CPU time (user + system, this JVM: the agent and the benchmark's own polling) is taken
        from the burst's apply until just before its delete: what the agent costs while its guests start and boot.

        Real guests run qemu under TCG (this machine has no usable KVM). Fake guests run
        `node-agent/src/test/resources/fake-qemu.sh` as qemu, wired in by the benchmark alone (no product flag):
        a bash daemon that writes its pidfile, has no QMP monitor and exits on SIGTERM, so its figures are the
        agent's own pipeline. Memory is the agent JVM's `VmRSS` (`/proc/self/status`) and heap in use, each
        after three `System.gc()`s, with no guests, with 10 real guests and with 50 fake ones running; the JVM's
        RSS rarely shrinks, so these are upper bounds of what a guest costs. The first real 0 → 10 step also
        holds the JVM's warm-up (class loading, JIT code), so the growth per guest is taken from a second burst
        of 10 on the warmed agent; the fake 0 → 50 step runs on a warmed JVM too.
        Latencies depend on the machine's load (qemu under TCG is CPU-bound): the load average is printed below.

        Goals: a burst of 10 real guests, apply → qemu started p95 ≤ 1.5 s; a fake qemu burst of 20,
        p95 ≤ 0.3 s; apply → lease no more than 1.05 × the hand-run host's, for 1 guest and for 10; agent
        growth ≤ 2 MiB per guest.

        Command: `KVMGUEST_IMAGE_DIR=… make bench` (as root), whose step for this one is
        `cd node-agent && java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
        io.kvmguest.agent.runtime.StartBurstBenchmark ../target/bench/start-burst.md`.

        %s""".formatted(table);
  }
}
