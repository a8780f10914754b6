package io.kvmguest.agent.supervise;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Starts a qemu that daemonizes ({@code -daemonize -pidfile}): the parent returns once the guest
 * is set up, so qemu's own errors (a missing image, a bad option) arrive here, and the guest is
 * not the agent's child and outlives it.
 */
public final class QemuLauncher {
  private final CommandRunner runner;
  private final Duration timeout;

  public QemuLauncher(CommandRunner runner, Duration timeout) {
    this.runner = runner;
    this.timeout = timeout;
  }

  /** Launches and returns the daemon's pid, read from {@code pidFile}. */
  public long launch(List<String> argv, Path pidFile) {
    try {
      Files.deleteIfExists(pidFile);
      CommandResult result = runner.run(argv, timeout);
      if (!result.ok()) {
        throw new LaunchFailedException("qemu did not start (exit " + result.exitCode() + "): " + firstLines(result.stderr()));
      }
      if (!Files.isRegularFile(pidFile)) {
        throw new LaunchFailedException("qemu exited 0 but wrote no pidfile " + pidFile);
      }
      return Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NumberFormatException e) {
      throw new LaunchFailedException("unreadable pidfile " + pidFile + ": " + e.getMessage());
    }
  }

  private static String firstLines(String text) {
    String stripped = text.strip();
    return stripped.length() > 2000 ? stripped.substring(0, 2000) + "…" : stripped;
  }

  /** qemu refused to start; the message carries its stderr. */
  public static final class LaunchFailedException extends RuntimeException {
    public LaunchFailedException(String message) {
      super(message);
    }
  }
}
