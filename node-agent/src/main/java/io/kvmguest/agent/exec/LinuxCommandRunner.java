package io.kvmguest.agent.exec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands with {@link ProcessBuilder}. With a network namespace configured, every command
 * runs inside it ({@code ip netns exec NAME ...}): tests and isolated nodes keep all link, tap and
 * qemu work out of the root namespace.
 */
public final class LinuxCommandRunner implements CommandRunner {
  /**
   * Reads commands' output. Each read blocks until its command exits, so each needs a thread of its
   * own: on the common pool (CPUs - 1 threads on a node with 3 or more) the guests' commands would
   * wait for the output of the commands started before theirs, and a few hung ones would stall all.
   */
  private static final ExecutorService OUTPUT_READERS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "command-output");
    t.setDaemon(true);
    return t;
  });

  private final Optional<String> netns;

  public LinuxCommandRunner(Optional<String> netns) {
    this.netns = netns;
  }

  /** Runs in the agent's own network namespace. */
  public static LinuxCommandRunner inRootNamespace() {
    return new LinuxCommandRunner(Optional.empty());
  }

  public Optional<String> netns() {
    return netns;
  }

  /**
   * {@code argv} as it will be executed, with the namespace prefix if any: {@code ip -n NAME …} for
   * ip itself (the same namespace switch without a second exec), {@code ip netns exec NAME …} for
   * anything else.
   */
  public List<String> wrap(List<String> argv) {
    if (netns.isEmpty()) {
      return List.copyOf(argv);
    }
    List<String> wrapped = new ArrayList<>();
    if (!argv.isEmpty() && argv.get(0).equals("ip")) {
      wrapped.addAll(List.of("ip", "-n", netns.get()));
      wrapped.addAll(argv.subList(1, argv.size()));
    } else {
      wrapped.addAll(List.of("ip", "netns", "exec", netns.get()));
      wrapped.addAll(argv);
    }
    return wrapped;
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    List<String> full = wrap(argv);
    Process process;
    try {
      process = new ProcessBuilder(full).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      return new CommandResult(full, 127, "", "cannot start " + full.get(0) + ": " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> out = readAsync(process.getInputStream());
      CompletableFuture<String> err = readAsync(process.getErrorStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
        return new CommandResult(full, -1, out.getNow(""), "timed out after " + timeout.toSeconds() + " s");
      }
      return new CommandResult(full, process.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new CommandResult(full, -1, "", "interrupted");
    }
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (stream) {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }, OUTPUT_READERS);
  }
}
