package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * dnsmasq as a daemon with a pid file in the agent's state dir: it outlives agent restarts and is
 * adopted again. A pid is trusted only if /proc shows that very dnsmasq (same pid file, same bridge),
 * so a recycled pid is never signalled.
 */
public final class LinuxDhcpServer implements DhcpServer {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final CommandRunner runner;

  public LinuxDhcpServer(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public Optional<Long> running(DhcpSettings s) {
    return readPid(s.pidFile()).filter(pid -> isOurs(pid, s));
  }

  @Override
  public long start(DhcpSettings s) {
    try {
      Files.createDirectories(s.pidFile().getParent());
      Files.createDirectories(s.leaseFile().getParent());
      Files.deleteIfExists(s.pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare dnsmasq state files next to " + s.pidFile(), e);
    }
    runner.check(DnsmasqCommand.argv(s), WAIT);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Long> pid = running(s);
      if (pid.isPresent()) {
        return pid.get();
      }
      sleep(50);
    }
    throw new IllegalStateException("dnsmasq for " + s.bridge() + " started but wrote no pid to " + s.pidFile()
        + " within " + WAIT.toSeconds() + " s");
  }

  @Override
  public void stop(DhcpSettings s) {
    running(s).flatMap(ProcessHandle::of).ifPresent(process -> {
      process.destroy();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (process.isAlive() && System.nanoTime() < deadline) {
        sleep(50);
      }
      if (process.isAlive()) {
        process.destroyForcibly();
      }
    });
    try {
      Files.deleteIfExists(s.pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + s.pidFile(), e);
    }
  }

  private static Optional<Long> readPid(Path pidFile) {
    try {
      return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean isOurs(long pid, DhcpSettings s) {
    try {
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return cmdline.startsWith("dnsmasq\0") && cmdline.contains("\0--pid-file=" + s.pidFile() + "\0")
          && cmdline.contains("\0--interface=" + s.bridge() + "\0");
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for dnsmasq", e);
    }
  }
}
