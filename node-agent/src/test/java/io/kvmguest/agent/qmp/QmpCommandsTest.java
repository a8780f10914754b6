package io.kvmguest.agent.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class QmpCommandsTest {
  private final FakeQmpMonitor qemu = new FakeQmpMonitor();
  private final QmpCommands commands = new QmpCommands(qemu, Duration.ofSeconds(5));

  @Test
  void queryStatusReadsRunStateAndRunning() {
    qemu.returns("query-status", "{\"status\": \"internal-error\", \"singlestep\": false, \"running\": false}");
    assertEquals(new GuestStatus("internal-error", false), commands.queryStatus());
    qemu.returns("query-status", "{\"status\": \"running\", \"singlestep\": false, \"running\": true}");
    assertEquals(new GuestStatus("running", true), commands.queryStatus());
  }

  @Test
  void queryBlockStatsReadsTopNodeCountersPerDevice() {
    // Trimmed from qemu 7.2: a -drive disk with its file child, then a -blockdev disk without drive id.
    qemu.returns("query-blockstats", """
        [{"device": "disk0", "node-name": "#block131",
          "qdev": "/machine/peripheral-anon/device[0]/virtio-backend",
          "stats": {"rd_bytes": 512, "wr_bytes": 4096, "rd_operations": 1, "wr_operations": 2, "flush_operations": 3,
                    "rd_total_time_ns": 1500, "wr_total_time_ns": 2500},
          "parent": {"node-name": "#block042", "stats": {"rd_bytes": 9, "wr_bytes": 9, "rd_operations": 9, "wr_operations": 9}}},
         {"device": "", "node-name": "root-fmt", "qdev": "/machine/peripheral/disk1/virtio-backend",
          "stats": {"rd_bytes": 0, "wr_bytes": 0, "rd_operations": 0, "wr_operations": 0}}]
        """);
    assertEquals(List.of(
        new BlockStats("disk0", "#block131", 512, 4096, 1, 2, 1500, 2500, 3),
        new BlockStats("/machine/peripheral/disk1/virtio-backend", "root-fmt", 0, 0, 0, 0)),
        commands.queryBlockStats());
  }

  @Test
  void setVncPasswordSendsQemu72Command() {
    qemu.returns("change-vnc-password", "{}");
    commands.setVncPassword("longer-than-8");
    FakeQmpMonitor.Request request = qemu.requests().get(0);
    assertEquals("change-vnc-password", request.command());
    assertEquals("longer-than-8", request.arguments().path("password").asText());
  }

  @Test
  void qmpErrorsReachTheCaller() {
    QmpException e = assertThrows(QmpException.class, () -> commands.setVncPassword("x"));
    assertEquals("CommandNotFound", e.errorClass());
  }

  @Test
  void quitToleratesQemuExitingBeforeItsReply() {
    qemu.on("quit", args -> {
      qemu.peerClosed();
      throw new QmpConnectionException("quit", "connection ended", null);
    });
    commands.quit();
    assertEquals(List.of("quit"), qemu.commands());
  }

  @Test
  void powerOffEndsOnShutdownEventThenQuits() {
    qemu.on("system_powerdown", args -> {
      qemu.emit(QmpEvent.POWERDOWN, "{}");
      qemu.emit(QmpEvent.SHUTDOWN, "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
      return null;
    });
    assertEquals(PowerOffOutcome.GUEST_SHUTDOWN, commands.powerOff(Duration.ofSeconds(5)));
    assertEquals(List.of("system_powerdown", "quit"), qemu.commands());
    assertEquals(0, qemu.listenerCount(), "powerOff unsubscribes");
  }

  @Test
  void powerOffEndsWhenQemuExits() {
    qemu.on("system_powerdown", args -> {
      new Thread(qemu::peerClosed).start(); // qemu exits a moment later, without an event
      return null;
    });
    assertEquals(PowerOffOutcome.QEMU_EXITED, commands.powerOff(Duration.ofSeconds(5)));
    assertEquals(List.of("system_powerdown"), qemu.commands(), "no quit to a gone qemu");
  }

  @Test
  void powerOffQuitsAfterGraceWhenGuestIgnoresTheButton() {
    qemu.returns("system_powerdown", "{}");
    long start = System.nanoTime();
    assertEquals(PowerOffOutcome.QUIT, commands.powerOff(Duration.ofMillis(300)));
    long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
    assertTrue(tookMillis >= 300 && tookMillis < 3000, "waited the grace, took " + tookMillis + " ms");
    assertEquals(List.of("system_powerdown", "quit"), qemu.commands());
  }

  @Test
  void powerOffQuitsAtOnceWhenPowerdownIsRefused() {
    qemu.on("system_powerdown", args -> {
      throw new QmpException("system_powerdown", "GenericError", "no ACPI");
    });
    long start = System.nanoTime();
    assertEquals(PowerOffOutcome.QUIT, commands.powerOff(Duration.ofSeconds(20)));
    assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
    assertEquals(List.of("system_powerdown", "quit"), qemu.commands());
  }

  @Test
  void powerOffOfAnAlreadyGoneQemu() {
    qemu.peerClosed();
    assertEquals(PowerOffOutcome.QEMU_EXITED, commands.powerOff(Duration.ofSeconds(20)));
    assertEquals(List.of(), qemu.commands());
  }
}
