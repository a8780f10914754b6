package io.kvmguest.agent.host;

import java.util.Arrays;
import java.util.List;

/** Reads vendor, virtualization flag and processor count from /proc/cpuinfo text. */
public final class CpuInfoParser {
  private CpuInfoParser() {}

  public static CpuInfo parse(String cpuinfo) {
    String vendor = "";
    List<String> flags = List.of();
    boolean flagsSeen = false;
    int cpus = 0;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (key) {
        case "processor" -> cpus++;
        case "vendor_id" -> vendor = vendor.isEmpty() ? value : vendor;
        case "flags" -> {
          // The first processor's flags stand for all: a host does not mix vendors.
          if (!flagsSeen) {
            flags = Arrays.asList(value.split("\\s+"));
            flagsSeen = true;
          }
        }
        default -> { }
      }
    }
    return new CpuInfo(vendor, flagOf(flags), cpus);
  }

  private static VirtualizationFlag flagOf(List<String> flags) {
    if (flags.contains("vmx")) {
      return VirtualizationFlag.VMX;
    }
    if (flags.contains("svm")) {
      return VirtualizationFlag.SVM;
    }
    return VirtualizationFlag.NONE;
  }
}
