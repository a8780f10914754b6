package io.kvmguest.agent.metrics;

import java.util.List;
import java.util.Optional;

/** Reads a process's CPU time and resident memory from /proc text. Pure. */
public final class ProcStats {
  /** USER_HZ: the unit of utime and stime in /proc/PID/stat (100 on every Linux the agent runs on). */
  public static final int CLOCK_TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** A process's CPU time (user + system, seconds) and RSS (bytes). */
  public record Sample(double cpuSeconds, long residentBytes) {}

  /** From the lines of /proc/PID/stat and /proc/PID/status; empty when either is not as expected. */
  public static Optional<Sample> parse(List<String> statLines, List<String> statusLines) {
    Optional<Double> cpu = cpuSeconds(statLines);
    Optional<Long> rss = residentBytes(statusLines);
    return cpu.isPresent() && rss.isPresent() ? Optional.of(new Sample(cpu.get(), rss.get())) : Optional.empty();
  }

  /**
   * utime + stime (fields 14 and 15) over {@link #CLOCK_TICKS_PER_SECOND}. The command name (field
   * 2) is in parentheses and may itself hold spaces and parentheses: fields are counted after the last ')'.
   */
  public static Optional<Double> cpuSeconds(List<String> statLines) {
    if (statLines.isEmpty()) {
      return Optional.empty();
    }
    String line = statLines.get(0);
    int end = line.lastIndexOf(')');
    if (end < 0) {
      return Optional.empty();
    }
    String[] fields = line.substring(end + 1).trim().split("\\s+");
    // fields[0] is field 3 (state): field n is fields[n - 3]
    if (fields.length < 13) {
      return Optional.empty();
    }
    try {
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return Optional.of((double) ticks / CLOCK_TICKS_PER_SECOND);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** VmRSS (kB in the file) in bytes; a kernel thread or zombie has none. */
  public static Optional<Long> residentBytes(List<String> statusLines) {
    for (String line : statusLines) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          return Optional.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
