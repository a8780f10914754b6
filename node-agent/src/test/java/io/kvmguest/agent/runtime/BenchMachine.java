package io.kvmguest.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the benchmarks say about the machine they ran on, and their scratch-dir cleanup. */
final class BenchMachine {
  private BenchMachine() {}

  /** "2026-12-01 19:20 UTC on 2 CPUs (model), kernel 6.1…": when and where a figure was measured. */
  static String describe() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"));
    return "%s on %d CPUs (%s), kernel %s".formatted(date, Runtime.getRuntime().availableProcessors(), cpu, kernel);
  }

  /** The machine may be shared: the figures are only comparable at a similar load. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
