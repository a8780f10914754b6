package io.kvmguest.agent.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the agent benchmarks share: the machine's load, serial logs read as they grow, waits and cleanup. */
final class AgentBenchmarks {
  private AgentBenchmarks() {}

  /** The machine may be shared: the figures are only comparable at a similar load. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** A guest's serial log so far; empty while qemu has not made it. Bytes as they are: a console prints more than UTF-8. */
  static String serial(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** Waits up to {@code timeout} for the agent to have no guests left (their workers ended); whether it has none. */
  static boolean awaitNoGuests(NodeAgent agent, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!agent.guestViews().isEmpty()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      AgentHarness.sleep(50);
    }
    return true;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
