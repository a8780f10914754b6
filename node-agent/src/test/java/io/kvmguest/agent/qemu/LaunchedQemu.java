package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A qemu the integration test started from a builder argv; stopped by its pid only. */
final class LaunchedQemu implements AutoCloseable {
  private final long pid;
  private final LaunchPlan plan;

  private LaunchedQemu(long pid, LaunchPlan plan) {
    this.pid = pid;
    this.plan = plan;
  }

  /**
   * Runs the builder's argv (plus {@code extra}, such as -S) and checks that qemu accepted it: the
   * daemonizing parent exits 0 only after qemu initialized every device, wrote the pidfile and
   * created the QMP socket.
   */
  static LaunchedQemu start(CommandRunner runner, QemuCommandBuilder builder, LaunchPlan plan, String... extra) throws IOException {
    List<String> argv = new ArrayList<>(builder.argv(plan));
    argv.addAll(List.of(extra));
    CommandResult result = runner.run(argv, Duration.ofSeconds(90));
    assertEquals(0, result.exitCode(), "qemu refused the command line:\n" + String.join("\n", argv) + "\nstderr: " + result.stderr());
    Path pidFile = plan.paths().pidFile();
    assertTrue(Files.isRegularFile(pidFile), "no pidfile at " + pidFile);
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    LaunchedQemu qemu = new LaunchedQemu(pid, plan);
    assertTrue(qemu.alive(), "qemu pid " + pid + " is not running");
    assertTrue(Files.exists(plan.paths().qmpSocket()), "no QMP socket at " + plan.paths().qmpSocket());
    return qemu;
  }

  long pid() {
    return pid;
  }

  boolean alive() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  QmpTestClient qmp() throws IOException {
    return new QmpTestClient(plan.paths().qmpSocket());
  }

  /** SIGTERM, then SIGKILL after 10 s; waits (bounded) until the process is gone. */
  @Override
  public void close() {
    ProcessHandle.of(pid).ifPresent(p -> {
      p.destroy();
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        try {
          p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // Reported by the test's own liveness assertion.
        }
      }
    });
  }
}
