package io.kvmguest.agent.host;

import java.util.HashMap;
import java.util.Map;

/** Reads MemTotal and MemAvailable from /proc/meminfo text. */
public final class MemInfoParser {
  private MemInfoParser() {}

  private static final long KIB = 1024L;

  public static MemInfo parse(String meminfo) {
    Map<String, Long> kib = new HashMap<>();
    for (String line : meminfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String[] amount = line.substring(colon + 1).strip().split("\\s+");
      try {
        kib.put(line.substring(0, colon).strip(), Long.parseLong(amount[0]));
      } catch (NumberFormatException e) {
        // Not a number: a field the agent does not use.
      }
    }
    if (!kib.containsKey("MemTotal")) {
      throw new IllegalArgumentException("/proc/meminfo has no MemTotal line");
    }
    long total = kib.get("MemTotal");
    // Kernels before 3.14 have no MemAvailable; free + page cache is the usual estimate there.
    long available = kib.containsKey("MemAvailable")
        ? kib.get("MemAvailable")
        : kib.getOrDefault("MemFree", 0L) + kib.getOrDefault("Buffers", 0L) + kib.getOrDefault("Cached", 0L);
    return new MemInfo(total * KIB, available * KIB);
  }
}
