package io.kvmguest.packaging;

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

  /** Runs a {@code podman run --detach --name NAME} command line; returns the container id. */
  public String start(List<String> runArgv) {
    String name = runArgv.get(runArgv.indexOf("--name") + 1);
    System.out.println("starting container: " + String.join(" ", runArgv));
    CommandResult r = ROOT.run(runArgv, Duration.ofSeconds(120));
    if (!r.ok()) {
      // a container the runtime created but could not start is still ours to remove
      podman(Duration.ofSeconds(60), "rm", "--force", "--ignore", name);
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

  /** Whether the container's main process still runs (an exited container still exists). */
  public boolean running(String id) {
    CommandResult r = podman(Duration.ofSeconds(30), "container", "inspect", "--format", "{{.State.Running}}", id);
    return r.ok() && r.stdout().strip().equals("true");
  }

  /**
   * Limits this process has, as {@code --ulimit} values: a kubelet's runtime passes its own limits
   * on, while podman's defaults (nofile 1048576) are refused where root cannot raise limits. nproc
   * is capped at pid_max, the most that runc was allowed to set here.
   */
  public static List<String> inheritedUlimits() {
    try {
      List<String> out = new ArrayList<>();
      // readAllLines: a plain read of this sysctl file returns only its first byte on some kernels
      long pidMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).strip());
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        String[] f = line.split("\\s{2,}");
        if (f.length >= 3 && f[0].equals("Max open files")) {
          out.add("nofile=" + f[2] + ":" + f[2]);
        } else if (f.length >= 3 && f[0].equals("Max processes")) {
          long nproc = f[2].equals("unlimited") ? pidMax : Math.min(pidMax, Long.parseLong(f[2]));
          out.add("nproc=" + nproc + ":" + nproc);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The logs of every container still there, for the test report. */
  public void printLogs() {
    for (String id : started) {
      System.out.println("--- podman logs " + id + " (last 80 lines)");
      List<String> lines = logs(id).lines().toList();
      lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
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
