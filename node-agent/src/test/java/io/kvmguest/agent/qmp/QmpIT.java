package io.kvmguest.agent.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QMP client against a real qemu 7.2 (TCG, no guest OS: SeaBIOS finds nothing to boot and
 * idles, which is enough for the monitor).
 */
@Timeout(180)
class QmpIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final List<ProcessHandle> started = new ArrayList<>();

  @BeforeEach
  void requirements() {
    Requirements.root();
    Requirements.binary("qemu-system-x86_64");
  }

  @AfterEach
  void killOurQemus() throws Exception {
    for (ProcessHandle qemu : started) {
      if (qemu.isAlive()) {
        qemu.destroyForcibly();
        qemu.onExit().get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void drivesARealQemu() throws Exception {
    Path disk = Files.write(dir.resolve("disk0.raw"), new byte[1024 * 1024]);
    Path vnc = dir.resolve("vnc.sock");
    ProcessHandle qemu = startQemu(
        "-drive", "file=" + disk + ",format=raw,if=virtio,id=disk0",
        "-vnc", "unix:" + vnc + ",password=on");
    BlockingQueue<QmpEvent> events = new LinkedBlockingQueue<>();
    CountDownLatch closed = new CountDownLatch(1);
    try (QmpMonitor monitor = UnixSocketQmpMonitor.connect(dir.resolve("qmp.sock"), WAIT)) {
      QmpCommands qmp = new QmpCommands(monitor, WAIT);
      monitor.subscribe(events::add);
      monitor.onClose(closed::countDown);

      assertEquals(new GuestStatus("running", true), qmp.queryStatus());
      // SeaBIOS reads the disk's boot sector looking for something to boot.
      assertTrue(poll(() -> qmp.queryBlockStats().stream()
          .anyMatch(s -> s.device().equals("disk0") && s.rdOperations() > 0 && s.rdBytes() >= 512)),
          "disk0 read counters: " + qmp.queryBlockStats());

      monitor.execute("stop", WAIT);
      assertEquals(QmpEvent.STOP, nextEvent(events).name());
      assertEquals(new GuestStatus("paused", false), qmp.queryStatus());
      monitor.execute("cont", WAIT);
      assertEquals(QmpEvent.RESUME, nextEvent(events).name());

      QmpException unknown = assertThrows(QmpException.class, () -> monitor.execute("no-such-command", WAIT));
      assertEquals("CommandNotFound", unknown.errorClass());

      assertFalse(VncAuthProbe.accepts(vnc, "correct-horse"), "no password set yet: qemu refuses everyone");
      qmp.setVncPassword("correct-horse");
      assertTrue(VncAuthProbe.accepts(vnc, "correct-horse"));
      assertTrue(VncAuthProbe.accepts(vnc, "correct-donkey"), "VNC compares only the first 8 characters");
      assertFalse(VncAuthProbe.accepts(vnc, "wrong-horse"));

      // No guest OS handles the ACPI button, so the grace runs out and quit ends qemu.
      assertEquals(PowerOffOutcome.QUIT, qmp.powerOff(Duration.ofSeconds(2)));
      assertTrue(closed.await(10, TimeUnit.SECONDS), "onClose after quit");
      assertFalse(monitor.isOpen());
      qemu.onExit().get(15, TimeUnit.SECONDS);
      assertFalse(qemu.isAlive(), "qemu " + qemu.pid() + " exited after quit");
    }
  }

  @Test
  void noticesAKilledQemuWithinASecond() throws Exception {
    ProcessHandle qemu = startQemu();
    CountDownLatch closed = new CountDownLatch(1);
    try (QmpMonitor monitor = UnixSocketQmpMonitor.connect(dir.resolve("qmp.sock"), WAIT)) {
      monitor.onClose(closed::countDown);
      assertEquals("running", new QmpCommands(monitor, WAIT).queryStatus().status());
      qemu.destroyForcibly();
      assertTrue(closed.await(1, TimeUnit.SECONDS), "onClose within a second of SIGKILL");
      assertThrows(QmpConnectionException.class, () -> monitor.execute("query-status", WAIT));
    }
  }

  /** Starts a daemonized qemu with its QMP socket at dir/qmp.sock; returns the pidfile's process. */
  private ProcessHandle startQemu(String... extraArgs) throws Exception {
    Path pidfile = dir.resolve("qemu.pid");
    List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg", "-display", "none",
        "-nodefaults", "-m", "64", "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"));
    argv.addAll(List.of(extraArgs));
    argv.addAll(List.of("-daemonize", "-pidfile", pidfile.toString()));
    LinuxCommandRunner.inRootNamespace().check(argv, Duration.ofSeconds(60));
    long pid = Long.parseLong(Files.readString(pidfile).trim());
    Optional<ProcessHandle> qemu = ProcessHandle.of(pid);
    qemu.ifPresent(started::add);
    return qemu.orElseThrow(() -> new AssertionError("qemu pid " + pid + " from " + pidfile + " is not running"));
  }

  private static QmpEvent nextEvent(BlockingQueue<QmpEvent> events) throws InterruptedException {
    QmpEvent event = events.poll(10, TimeUnit.SECONDS);
    assertTrue(event != null, "no QMP event within 10 s");
    return event;
  }

  private static boolean poll(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(200);
    }
    return false;
  }
}
