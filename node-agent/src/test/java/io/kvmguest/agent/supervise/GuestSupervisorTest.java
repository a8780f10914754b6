package io.kvmguest.agent.supervise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.exec.LinuxCommandRunner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision against a fake qemu (a bash daemon that writes a pidfile and traps SIGTERM). */
class GuestSupervisorTest {
  private static final String FAKE_QEMU = Path.of("src/test/resources/fake-qemu.sh").toAbsolutePath().toString();

  @TempDir Path state;
  private final LinuxProcessTable processes = new LinuxProcessTable();
  private final LinkedBlockingQueue<GuestRecord> exits = new LinkedBlockingQueue<>();
  private final List<GuestSupervisor> supervisors = new ArrayList<>();
  private final List<Long> pids = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    supervisors.forEach(GuestSupervisor::close);
    pids.forEach(pid -> processes.signal(pid, true));
  }

  private GuestSupervisor supervisor() {
    return supervisor(new RecordingGuestCgroups());
  }

  private GuestSupervisor supervisor(RecordingGuestCgroups cgroups) {
    GuestSupervisor s = new GuestSupervisor(new GuestRecordStore(state),
        new QemuLauncher(LinuxCommandRunner.inRootNamespace(), Duration.ofSeconds(10)), cgroups, processes,
        (record, onClose) -> { throw new IllegalStateException("no QMP in this test"); },
        Clock.systemUTC(), Duration.ofMillis(200), (record, clean) -> exits.add(record));
    s.start();
    supervisors.add(s);
    return s;
  }

  private GuestRecord draft(String uid, String... extraArgs) {
    String pidFile = state.resolve(uid + ".pid").toString();
    List<String> argv = new ArrayList<>(List.of("bash", FAKE_QEMU, "-pidfile", pidFile, "-daemonize"));
    argv.addAll(List.of(extraArgs));
    return new GuestRecord(uid, "default", "g-" + uid, pidFile, state.resolve(uid + ".qmp").toString(),
        state.resolve(uid + ".log").toString(), List.of("kvg0001"), null, null, null, argv, null, null);
  }

  private GuestRecord launch(GuestSupervisor s, GuestRecord draft) {
    GuestRecord record = s.launch(draft);
    pids.add(record.pid());
    return record;
  }

  @Test
  void launchRecordsThePidBeforeAndAfter() {
    GuestSupervisor s = supervisor();
    GuestRecord record = launch(s, draft("u1"));
    assertNotNull(record.pid());
    assertTrue(processes.isOurs(record.pid(), record.pidFile()));
    assertEquals(record.pid(), new GuestRecordStore(state).load("u1").orElseThrow().pid());
    assertTrue(s.isRunning("u1"));
  }

  @Test
  void aDeadQemuIsNoticedWithinASecond() throws InterruptedException {
    GuestSupervisor s = supervisor();
    GuestRecord record = launch(s, draft("u2"));
    long killedAt = System.nanoTime();
    processes.signal(record.pid(), true);
    GuestRecord exited = exits.poll(3, TimeUnit.SECONDS);
    long noticedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    assertNotNull(exited, "exit not noticed");
    assertEquals("u2", exited.uid());
    assertTrue(noticedMs < 1000, "noticed after " + noticedMs + " ms");
    assertFalse(s.isRunning("u2"));
  }

  @Test
  void aNewSupervisorAdoptsRunningGuestsAndReportsStaleOnes() throws InterruptedException {
    GuestSupervisor first = supervisor();
    GuestRecord alive = launch(first, draft("u3"));
    GuestRecord dead = launch(first, draft("u4"));
    first.close(); // the agent goes away; its guests must not
    processes.signal(dead.pid(), true);
    Thread.sleep(300);
    assertTrue(processes.isOurs(alive.pid(), alive.pidFile()), "closing the supervisor must not stop guests");

    GuestSupervisor second = supervisor();
    GuestSupervisor.Adoption adoption = second.adoptAll();
    assertEquals(List.of("u3"), adoption.adopted().stream().map(GuestRecord::uid).toList());
    assertEquals(List.of("u4"), adoption.stale().stream().map(GuestRecord::uid).toList());
    processes.signal(alive.pid(), true);
    assertEquals("u3", exits.poll(3, TimeUnit.SECONDS).uid(), "adopted guest is watched");
  }

  @Test
  void aRecycledPidIsNotTakenForTheGuest() {
    long notQemu = ProcessHandle.current().pid();
    GuestRecord record = draft("u5").withPid(notQemu, "2026-01-01T00:00:00Z");
    new GuestRecordStore(state).save(record);
    GuestSupervisor.Adoption adoption = supervisor().adoptAll();
    assertEquals(List.of("u5"), adoption.stale().stream().map(GuestRecord::uid).toList());
  }

  @Test
  void aFailedLaunchLeavesNoRecordAndSaysWhy() {
    GuestSupervisor s = supervisor();
    var error = assertThrows(QemuLauncher.LaunchFailedException.class,
        () -> s.launch(draft("u6", "-fake-fail", "could not open disk image /x.qcow2")));
    assertTrue(error.getMessage().contains("could not open disk image /x.qcow2"), error.getMessage());
    assertTrue(new GuestRecordStore(state).load("u6").isEmpty());
    assertFalse(s.isRunning("u6"));
  }

  @Test
  void stopTerminatesWithoutMonitorAndKillsWhenIgnored() {
    GuestSupervisor s = supervisor();
    GuestRecord polite = launch(s, draft("u7"));
    assertEquals(StopOutcome.TERMINATED, s.stop("u7", Duration.ofSeconds(1)));
    assertFalse(processes.isOurs(polite.pid(), polite.pidFile()));
    GuestRecord stubborn = launch(s, draft("u8", "-fake-ignore-term"));
    assertEquals(StopOutcome.KILLED, s.stop("u8", Duration.ofSeconds(1)));
    assertFalse(processes.isOurs(stubborn.pid(), stubborn.pidFile()));
    assertEquals(StopOutcome.NOT_RUNNING, s.stop("u8", Duration.ofSeconds(1)));
    assertTrue(exits.isEmpty(), "a deliberate stop is not reported as an unexpected exit");
  }

  @Test
  void launchWrapsTheArgvAndPlacesTheQemuItStarted() {
    RecordingGuestCgroups cgroups = new RecordingGuestCgroups();
    GuestRecord draft = draft("c1");
    GuestRecord record = launch(supervisor(cgroups), draft);
    assertEquals(List.of("wrap c1", "place c1 " + record.pid()), cgroups.calls);
    assertEquals(List.of("env", "--"), cgroups.launched.get(0).subList(0, 2));
    assertEquals(draft.argv(), cgroups.launched.get(0).subList(2, cgroups.launched.get(0).size()));
    assertEquals(draft.argv(), new GuestRecordStore(state).load("c1").orElseThrow().argv(), "the record keeps qemu's own argv");
    assertTrue(processes.isOurs(record.pid(), record.pidFile()), "the wrapped launch still runs the qemu");
  }

  @Test
  void aFailedPlacementKeepsTheGuestRunningAndSaysWhy() {
    RecordingGuestCgroups cgroups = new RecordingGuestCgroups();
    cgroups.failPlacement = true;
    GuestSupervisor s = supervisor(cgroups);
    GuestRecord record = launch(s, draft("c2"));
    assertTrue(s.isRunning("c2"));
    assertTrue(processes.isOurs(record.pid(), record.pidFile()));
    assertTrue(s.cgroupProblem("c2").orElseThrow().contains("Permission denied"), s.cgroupProblem("c2").toString());
  }

  @Test
  void aPlacedGuestHasNoCgroupProblem() {
    GuestSupervisor s = supervisor();
    launch(s, draft("c3"));
    assertTrue(s.cgroupProblem("c3").isEmpty());
  }

  @Test
  void forgetReleasesTheCgroup() {
    RecordingGuestCgroups cgroups = new RecordingGuestCgroups();
    GuestSupervisor s = supervisor(cgroups);
    launch(s, draft("c4"));
    s.stop("c4", Duration.ofSeconds(1));
    s.forget("c4");
    assertEquals("release c4", cgroups.calls.get(cgroups.calls.size() - 1));
    assertTrue(cgroups.placed.isEmpty());
  }

  @Test
  void adoptionPlacesOnlyAGuestThatIsNotInItsCgroup() {
    RecordingGuestCgroups older = new RecordingGuestCgroups();
    GuestSupervisor first = supervisor(older);
    GuestRecord placed = launch(first, draft("c5"));
    GuestRecord unplaced = launch(first, draft("c6"));
    first.close();

    RecordingGuestCgroups cgroups = new RecordingGuestCgroups();
    cgroups.placed.put("c5", placed.pid()); // c6 was started by an agent that did not place it
    supervisor(cgroups).adoptAll();
    assertTrue(cgroups.calls.contains("holds c5 " + placed.pid()));
    assertFalse(cgroups.calls.contains("place c5 " + placed.pid()), cgroups.calls.toString());
    assertTrue(cgroups.calls.contains("place c6 " + unplaced.pid()), cgroups.calls.toString());
    assertTrue(cgroups.calls.stream().noneMatch(c -> c.startsWith("wrap")), "adoption launches nothing");
  }
}
