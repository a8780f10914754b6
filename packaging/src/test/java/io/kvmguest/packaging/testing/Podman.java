package io.kvmguest.packaging.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The podman CLI for the tests: it remembers each container it started, to remove exactly those. */
public final class Podman implements AutoCloseable {
  private static final LinuxCommandRunner ROOT = LinuxCommandRunner.inRootNamespace();
  private final Set<String> started = ConcurrentHashMap.newKeySet();

  public CommandResult run(Duration timeout, List<String> argv) {
    return ROOT.run(argv, timeout);
  }

  public CommandResult podman(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>(List.of("podman"));
    argv.addAll(List.of(args));
    return ROOT.run(argv, timeout);
  }

  /** Runs a {@code podman run --detach} command line; returns the container id. */
  public String start(List<String> runArgv) {
    CommandResult r = ROOT.run(runArgv, Duration.ofSeconds(120));
    if (!r.ok()) {
      fail("`" + r.commandLine() + "` failed (" + r.exitCode() + "): " + r.stderr());
    }
    String id = r.stdout().strip();
    started.add(id);
    return id;
  }

  /** {@code podman rm -f -t 0}: SIGKILL to every process in the container's cgroup, as a kubelet's hard stop. */
  public void forceRemove(String id) {
    CommandResult r = podman(Duration.ofSeconds(60), "rm", "--force", "--time", "0", id);
    if (!r.ok()) {
      fail("podman rm -f " + id + " failed: " + r.stderr());
    }
    started.remove(id);
  }

  public String logs(String id) {
    CommandResult r = podman(Duration.ofSeconds(30), "logs", id);
    return r.stdout() + r.stderr();
  }

  public boolean exists(String id) {
    return podman(Duration.ofSeconds(30), "container", "exists", id).ok();
  }

  /**
   * The hard limits of this process as {@code --ulimit} values: a kubelet's runtime passes its own
   * limits on, while podman's default (nofile 1048576) is refused where root cannot raise limits.
   */
  public static List<String> inheritedUlimits() {
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        String[] f = line.split("\\s{2,}");
        if (f.length >= 3 && f[0].equals("Max open files")) {
          out.add("nofile=" + f[2] + ":" + f[2]);
        } else if (f.length >= 3 && f[0].equals("Max processes") && !f[2].equals("unlimited")) {
          out.add("nproc=" + f[2] + ":" + f[2]);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes what is still running of the containers this instance started. */
  @Override
  public void close() {
    for (String id : List.copyOf(started)) {
      podman(Duration.ofSeconds(60), "rm", "--force", "--time", "5", id);
      started.remove(id);
    }
  }
}
