package io.kvmguest.operator.placement;

import java.util.Map;

/** What a guest needs from a node. Memory includes qemu's own overhead. */
public record GuestDemand(String guest, long memoryBytes, int cpus, boolean needsKvm, Map<String, String> nodeSelector) {

  /** qemu's footprint beyond guest RAM (measured ≈ 55 MiB of TCG code cache; device model and page tables). */
  public static final long QEMU_OVERHEAD_BYTES = 64L * 1024 * 1024;

  public GuestDemand {
    nodeSelector = Map.copyOf(nodeSelector);
  }
}
