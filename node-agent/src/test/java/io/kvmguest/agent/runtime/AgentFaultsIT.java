package io.kvmguest.agent.runtime;

import static io.kvmguest.agent.runtime.FaultsFixture.POLL;
import static io.kvmguest.agent.runtime.FaultsFixture.figure;
import static io.kvmguest.agent.runtime.FaultsFixture.seconds;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.runtime.FaultsFixture.AgentProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into a node agent running real qemu (TCG) in a throwaway namespace: the agent
 * SIGKILLed under running guests, guests that ignore ACPI stopped by deletion and by the agent's
 * own shutdown, and many create/delete cycles checked for leaks. Each test prints its measured
 * figures as {@code FIGURE <name>: ...} lines.
 */
class AgentFaultsIT {
  @TempDir Path tmp;
  private FaultsFixture f;

  @BeforeEach
  void setUp() throws IOException {
    f = new FaultsFixture(tmp, "faults");
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private static List<String> names(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void sigkilledAgentUnderFourGuestsLosesNoneAndTheNextAgentAdoptsThemAll() throws Exception {
    List<String> guests = names("keep", 4);
    AgentProcess first = f.startProcess("agent1.log", 10);
    f.applyAll(guests);
    f.awaitRunning(guests, Duration.ofSeconds(120));
    Map<String, Long> pids = f.pids(guests);
    double settled = f.awaitFirmwareIdle(pids.values(), Duration.ofSeconds(90));

    first.process().destroyForcibly(); // SIGKILL: no shutdown hook, nothing stopped or cleaned up
    assertTrue(first.process().waitFor(10, TimeUnit.SECONDS), "the SIGKILLed agent did not exit");
    pids.forEach((name, pid) -> assertTrue(f.isOurQemu(pid), name + ": qemu pid " + pid + " died with its agent"));
    for (String name : guests) {
      Files.delete(f.h.guestsDir.resolve("status").resolve("default_" + name + ".status.yaml")); // so any status is the new agent's
    }

    AgentProcess second = f.startProcess("agent2.log", 10);
    long[] readyAt = {0};
    long[] firstLineAt = {0};
    await("all 4 reported Running by the new agent").atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> {
      String out = second.output();
      if (firstLineAt[0] == 0 && !out.isEmpty()) {
        firstLineAt[0] = System.nanoTime();
      }
      if (readyAt[0] == 0 && out.contains("node agent ready")) {
        readyAt[0] = System.nanoTime();
      }
      return guests.stream().allMatch(f::running);
    });
    long allRunningAt = System.nanoTime();
    double adoptedAfter = seconds(allRunningAt - second.startedNanos());
    double readyAfter = readyAt[0] == 0 ? adoptedAfter : seconds(readyAt[0] - second.startedNanos());
    // The JVM's own start (seconds on a loaded 2-core machine) is not the agent's work: timed from its first log line.
    double sinceAgentRuns = seconds(allRunningAt - (firstLineAt[0] == 0 ? second.startedNanos() : firstLineAt[0]));

    Map<String, Long> after = f.pids(guests);
    long alive = pids.values().stream().filter(f::isOurQemu).count();
    figure("agent-sigkill", String.format("%d guests adopted %.1f s after the new agent logged its first line, %.1f s after its process"
        + " started (agent ready at %.1f s), "
        + "%d of 4 qemus still running, pids %s (guests idle in firmware %.0f s after Running, before the SIGKILL)", guests.size(),
        sinceAgentRuns, adoptedAfter, readyAfter, alive, pids.equals(after) ? "unchanged" : "CHANGED " + pids + " -> " + after, settled));
    assertEquals(pids, after, "adopted, not restarted: the records keep the same qemu pids");
    assertEquals(4, alive, "0 guests lost");
    for (String name : guests) {
      assertTrue(second.output().contains("adopted running guest default/" + name), second.output());
    }
    assertFalse(second.output().contains("started: qemu pid"), "the new agent must not start a second qemu:\n" + second.output());
    assertTrue(sinceAgentRuns <= 5.0, String.format("all 4 adopted and Running only %.1f s after the new agent's first log line;"
        + " at most 5 s:%n%s", sinceAgentRuns, second.output()));
  }

  @Test
  void sixGuestsIgnoringAcpiAreGoneWithinTwentySecondsWhenAllAreDeletedAtOnce() throws Exception {
    AgentProcess agent = f.startProcess("agent.log", 10);
    List<String> guests = sixDeafGuests();
    Map<String, Long> pids = f.pids(guests);

    long t0 = System.nanoTime();
    for (String name : guests) {
      f.h.delete(name);
    }
    double gone = awaitGone(pids, t0);
    await("every deletion finished (status files removed)").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
        .until(() -> guests.stream().allMatch(n -> f.h.status(n).isEmpty()));
    long quits = agent.count("stopped: QUIT");
    figure("stop-delete", String.format("6 guests ignoring ACPI, --stop-grace 10, all six files deleted at once: "
        + "all 6 qemus gone %.1f s later (%d of 6 quit after the grace), deletions done %.1f s later",
        gone, quits, seconds(System.nanoTime() - t0)));
    assertStoppedInParallel(gone, quits, agent);
    assertEquals(List.of(), f.ourQemus(), "no qemu runs once its guest is deleted");
  }

  @Test
  void sixGuestsIgnoringAcpiAreGoneWithinTwentySecondsWhenTheAgentIsTerminated() throws Exception {
    AgentProcess agent = f.startProcess("agent.log", 10);
    Map<String, Long> pids = f.pids(sixDeafGuests());

    long t0 = System.nanoTime();
    agent.process().destroy(); // SIGTERM: the shutdown hook closes the agent without --keep-guests
    double gone = awaitGone(pids, t0);
    assertTrue(agent.process().waitFor(30, TimeUnit.SECONDS), "the agent did not exit after SIGTERM");
    double exited = seconds(System.nanoTime() - t0);
    long quits = agent.count("stopped: QUIT");
    figure("stop-sigterm", String.format("6 guests ignoring ACPI, --stop-grace 10, SIGTERM to the agent: all 6 qemus gone %.1f s "
        + "later (%d of 6 quit after the grace), agent exited (code %d) by %.1f s", gone, quits, agent.process().exitValue(), exited));
    assertStoppedInParallel(gone, quits, agent);
    assertEquals(List.of(), f.ourQemus(), "the agent closed without --keep-guests must leave no qemu running:\n" + agent.output());
  }

  /** Six firmware-only guests (they ignore ACPI), applied at once and Running. */
  private List<String> sixDeafGuests() throws IOException {
    List<String> guests = names("deaf", 6);
    f.applyAll(guests);
    f.awaitRunning(guests, Duration.ofSeconds(120));
    return guests;
  }

  /** Waits (bounded) until none of {@code pids} is a live qemu; returns the seconds since {@code t0}. */
  private double awaitGone(Map<String, Long> pids, long t0) {
    await("all qemus gone").atMost(Duration.ofSeconds(90)).pollInterval(POLL)
        .until(() -> pids.values().stream().noneMatch(f::isOurQemu));
    return seconds(System.nanoTime() - t0);
  }

  private static void assertStoppedInParallel(double gone, long quits, AgentProcess agent) {
    // the guests ignore the power button, so each stop waits out its 10 s grace: quitting them one
    // after another would take 60 s, together it takes one grace
    assertEquals(6, quits, "each guest was quit after ignoring ACPI for the grace:\n" + agent.output());
    assertTrue(gone >= 9.5, String.format("gone after %.1f s: before the 10 s grace, so the guests did not ignore ACPI", gone));
    assertTrue(gone <= 20.0, String.format("6 stops took %.1f s; in parallel they take one 10 s grace, at most 20 s", gone));
  }

  @Test
  void aHundredCreateDeleteCyclesLeakNothing() throws Exception {
    NodeAgent agent = f.startInProcess(1);
    // one round first, not compared: the JVM opens jars, the agent makes its status writers and
    // its state dir's folders (records, run, guests) on first use and keeps them, and dnsmasq keeps
    // its lease, log and pid files under network/; what is left after it is the baseline
    cycle(names("warm", 10));
    Snapshot start = Snapshot.settledAfter(f, null);

    int rounds = 10;
    long t0 = System.nanoTime();
    for (int round = 1; round <= rounds; round++) {
      cycle(names("r" + round + "g", 10));
    }
    double cyclesTook = seconds(System.nanoTime() - t0);
    Snapshot end = Snapshot.settledAfter(f, start);
    figure("create-delete", String.format("%d create/delete cycles (%d rounds of 10 at once, --stop-grace 1) in %.0f s; "
        + "before -> after: qemus %d -> %d, taps %d -> %d, state-dir entries %d -> %d, agent threads %s -> %s, "
        + "all JVM threads %d -> %d, open fds %d -> %d; kept by design after the warm-up round: %s", rounds * 10, rounds, cyclesTook,
        start.qemus.size(), end.qemus.size(), start.taps.size(), end.taps.size(), start.files.size(), end.files.size(),
        start.threads, end.threads, start.allThreads, end.allThreads, start.fds, end.fds, start.files));
    assertEquals(List.of(), end.qemus, "leaked qemu processes");
    assertEquals(List.of(), end.taps, "leaked taps");
    assertEquals(start.files, end.files, "files left under the state dir");
    assertEquals(start.threads, end.threads, "agent threads left");
    assertTrue(end.fds <= start.fds, "open file descriptors grew from " + start.fds + " to " + end.fds);
    assertTrue(agent.isRunning());
  }

  /** 10 guests created at once, all Running, then all deleted at once and gone. */
  private void cycle(List<String> guests) throws IOException {
    f.applyAll(guests);
    f.awaitRunning(guests, Duration.ofSeconds(120));
    Map<String, Long> pids = f.pids(guests);
    for (String name : guests) {
      f.h.delete(name);
    }
    await("deletions of " + guests + " done").atMost(Duration.ofSeconds(60)).pollInterval(POLL)
        .until(() -> guests.stream().allMatch(n -> f.h.status(n).isEmpty()) && pids.values().stream().noneMatch(f::isOurQemu));
  }

  /** What a leak would show in. */
  private record Snapshot(List<Long> qemus, List<String> taps, TreeSet<String> files, TreeMap<String, Integer> threads,
      int allThreads, int fds) {
    static Snapshot of(FaultsFixture f) {
      return new Snapshot(f.ourQemus(), f.taps(), f.stateFiles(), FaultsFixture.agentThreads(), Thread.getAllStackTraces().size(),
          FaultsFixture.openFds());
    }

    /** No leak counted from things still ending: waits (bounded) until this matches {@code base}, or is stable if none. */
    static Snapshot settledAfter(FaultsFixture f, Snapshot base) {
      Snapshot[] last = {of(f)};
      try {
        await("settled").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
          Snapshot now = of(f);
          boolean settled = base == null
              ? now.qemus.isEmpty() && now.taps.isEmpty() && now.files.equals(last[0].files) && now.threads.equals(last[0].threads)
                  && !now.threads.containsKey("guest")
              : now.qemus.isEmpty() && now.taps.isEmpty() && now.files.equals(base.files) && now.threads.equals(base.threads)
                  && now.fds <= base.fds;
          last[0] = now;
          return settled;
        });
      } catch (ConditionTimeoutException e) {
        // the caller's assertions say what did not settle
      }
      return last[0];
    }
  }
}
