package io.kvmguest.agent.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults around one guest that must not reach the others, with real qemu under TCG in a test
 * namespace: qemu killed (once, then every time it starts), a download that trickles, a state
 * directory that fills up. Each test prints its figures.
 */
class QemuFaultsIT {
  @TempDir Path tmp;
  private NetnsFixture node;
  private AgentHarness h;
  private NodeAgent agent;
  private HttpServer http;
  private Path mounted;
  private final LinuxProcessTable processes = new LinuxProcessTable();
  private final LinuxCommandRunner host = new LinuxCommandRunner(Optional.empty());

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    node = NetnsFixture.create("qfault");
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close(false);
    }
    if (http != null) {
      http.stop(0);
    }
    if (node != null) {
      node.close();
    }
    if (mounted != null) {
      host.run(List.of("umount", "-l", mounted.toString()), Duration.ofSeconds(20));
    }
  }

  private void startAgent(Path stateRoot) throws IOException {
    h = new AgentHarness(stateRoot, node);
    agent = h.startAgent("fault-node", "--allowed-dir", images().toString(), "--stop-grace", "2", "--http-import-allow", "127.0.0.0/8");
  }

  private Path images() throws IOException {
    return Files.createDirectories(tmp.resolve("images"));
  }

  private Optional<Long> pid(String name) {
    return agent.guestViews().stream().filter(v -> v.name().equals(name)).findFirst().flatMap(GuestView::pid);
  }

  private static Optional<GuestCondition> condition(VirtualGuestStatus s, String type) {
    return s.conditions().stream().filter(c -> c.type().equals(type)).findFirst();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Test
  void aKilledQemuIsSeenAtOnceAndRestartedAndOneThatAlwaysDiesBacksOff() throws IOException {
    startAgent(tmp);
    h.apply("phoenix", GuestManifests.isoGuest("phoenix", "virtio"));
    long first = await().atMost(Duration.ofSeconds(120)).until(() -> pid("phoenix"), Optional::isPresent).get();

    long killedAt = System.nanoTime();
    processes.signal(first, true);
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(() -> !pid("phoenix").equals(Optional.of(first)));
    double seen = seconds(killedAt);
    long second = await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
        .until(() -> pid("phoenix"), p -> p.isPresent() && p.get() != first).get();
    double back = seconds(killedAt);
    System.out.printf("FIGURE qemu-sigkill: exit seen after %.2f s, running again (pid %d) after %.2f s%n", seen, second, back);
    assertTrue(seen <= 1.0, "exit seen after " + seen + " s");
    assertTrue(back <= 3.0, "running again after " + back + " s");

    // from now on every qemu of the guest dies as soon as it is up: a crash loop
    List<Double> startsAt = new ArrayList<>();
    long loopStart = System.nanoTime();
    long last = second;
    Duration window = Duration.ofSeconds(40);
    while (System.nanoTime() - loopStart < window.toNanos()) {
      long current = last;
      processes.signal(current, true);
      Optional<Long> next = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(20))
          .until(() -> pid("phoenix"), p -> p.isEmpty() || p.get() != current);
      long deadline = loopStart + window.toNanos();
      Optional<Long> restarted = Optional.empty();
      while (restarted.isEmpty() && System.nanoTime() < deadline) {
        restarted = pid("phoenix").filter(p -> p != current);
        AgentHarness.sleep(20);
      }
      if (restarted.isEmpty()) {
        break;
      }
      startsAt.add(seconds(loopStart));
      last = restarted.get();
    }
    processes.signal(last, true);
    VirtualGuestStatus looping = h.awaitStatus("phoenix", s -> condition(s, "Ready")
        .filter(c -> "CrashLoop".equals(c.reason())).isPresent(), Duration.ofSeconds(30), "Ready=False CrashLoop");
    System.out.printf("FIGURE qemu-crash-loop: %d restarts in %d s at %s; status: %s%n", startsAt.size(), window.toSeconds(),
        startsAt, condition(looping, "Ready").get().message());
    // 0, 1, 2, 4, 8, 16 s waits: at most 6 restarts in 40 s (and so at most 10 in 5 minutes, see RestartBackoffTest)
    assertTrue(startsAt.size() <= 6, "restarts in 40 s: " + startsAt);
    assertTrue(startsAt.size() >= 3, "it is still restarted, only later each time: " + startsAt);
    assertEquals("Failed", looping.phase());
  }

  @Test
  void aTricklingDownloadForOneGuestDoesNotDelayAnothersStart() throws IOException {
    AtomicBoolean serving = new AtomicBoolean(true);
    http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext("/slow.iso", exchange -> {
      exchange.sendResponseHeaders(200, 10L << 20);
      try (OutputStream body = exchange.getResponseBody()) {
        while (serving.get()) {
          body.write(0);
          body.flush();
          AgentHarness.sleep(500); // a byte every half second: under any stall limit, done in weeks
        }
      } catch (IOException closed) {
        // the agent gave up or the test ended
      }
    });
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
    startAgent(tmp);
    try {
      long baselineAt = System.nanoTime();
      h.apply("alone", GuestManifests.isoGuest("alone", "virtio"));
      await().atMost(Duration.ofSeconds(120)).until(() -> pid("alone"), Optional::isPresent);
      double baseline = seconds(baselineAt);

      h.apply("trickle", """
          apiVersion: kvmguest.io/v1alpha1
          kind: VirtualGuest
          metadata: {name: trickle}
          spec:
            memory: 64Mi
            cdroms: [{name: cd, iso: {http: {url: "http://127.0.0.1:%d/slow.iso", sha256: "%s"}}}]
          """.formatted(http.getAddress().getPort(), "ab".repeat(32)));
      h.awaitStatus("trickle", s -> "Starting".equals(s.phase()), Duration.ofSeconds(30), "Starting (downloading)");
      long otherAt = System.nanoTime();
      h.apply("other", GuestManifests.isoGuest("other", "e1000"));
      await().atMost(Duration.ofSeconds(120)).until(() -> pid("other"), Optional::isPresent);
      double other = seconds(otherAt);
      System.out.printf("FIGURE trickling-download: another guest's qemu up %.2f s after apply (alone: %.2f s), trickle still %s%n",
          other, baseline, h.status("trickle").map(VirtualGuestStatus::phase).orElse("?"));
      assertTrue(other <= baseline + 2.0, "the other guest waited: " + other + " s against " + baseline + " s alone");
      assertEquals("Starting", h.status("trickle").orElseThrow().phase(), "the trickling download is still going");
    } finally {
      serving.set(false);
    }
  }

  @Test
  void aFullStateDirIsAClearRetriedConditionAndTheOtherGuestRunsOn() throws IOException {
    mounted = Files.createDirectories(tmp.resolve("small"));
    mount("size=12m");
    startAgent(mounted);
    h.apply("steady", GuestManifests.isoGuest("steady", "virtio"));
    long steadyPid = await().atMost(Duration.ofSeconds(120)).until(() -> pid("steady"), Optional::isPresent).get();

    // a full copy of 24 MiB of random bytes (no zeros for qemu-img to skip) cannot fit in what is left
    Path base = images().resolve("random.raw");
    byte[] chunk = new byte[1 << 20];
    java.util.Random random = new java.util.Random(1);
    try (OutputStream out = Files.newOutputStream(base)) {
      for (int i = 0; i < 24; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    h.apply("big", """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: big}
        spec:
          memory: 64Mi
          disks: [{name: root, image: {format: raw, source: {path: %s}}}]
        """.formatted(base));
    VirtualGuestStatus full = h.awaitStatus("big", s -> condition(s, "Retrying").isPresent(), Duration.ofSeconds(60),
        "Retrying while the disk is full");
    GuestCondition retrying = condition(full, "Retrying").get();
    System.out.printf("FIGURE state-dir-full: big %s, Ready=%s; Retrying %s: %s%n", full.phase(), condition(full, "Ready")
        .map(GuestCondition::reason).orElse("?"), retrying.reason(), retrying.message());
    assertEquals("StorageFailed", retrying.reason());
    assertTrue(retrying.message().contains("No space left on device"), retrying.message());
    assertEquals(Optional.of(steadyPid), pid("steady"), "the other guest runs on");

    long freedAt = System.nanoTime();
    mount("remount,size=128m");
    await().atMost(Duration.ofSeconds(60)).until(() -> pid("big"), Optional::isPresent);
    VirtualGuestStatus running = h.awaitStatus("big", s -> "Running".equals(s.phase()), Duration.ofSeconds(10), "Running");
    System.out.printf("FIGURE state-dir-full: big running %.1f s after space was freed%n", seconds(freedAt));
    assertTrue(condition(running, "Retrying").isEmpty(), "nothing is retried any more: " + running.conditions());
    assertEquals(Optional.of(steadyPid), pid("steady"));
  }

  private void mount(String options) {
    List<String> argv = options.startsWith("remount")
        ? List.of("mount", "-o", options, mounted.toString())
        : List.of("mount", "-t", "tmpfs", "-o", options, "kvg-test-state", mounted.toString());
    CommandResult r = host.run(argv, Duration.ofSeconds(20));
    assertTrue(r.ok(), "mount " + options + ": " + r.stderr());
  }
}
