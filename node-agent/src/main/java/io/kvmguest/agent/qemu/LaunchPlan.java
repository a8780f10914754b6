package io.kvmguest.agent.qemu;

import io.kvmguest.agent.host.Accelerator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything qemu needs to start one guest, resolved down to host paths, MACs and taps: the input of
 * the pure {@link QemuCommandBuilder}. Immutable.
 *
 * @param guestUid the guest's Kubernetes metadata.uid; becomes the SMBIOS system UUID
 * @param cpuModel qemu -cpu model, or null for qemu's default
 * @param boot null for the firmware's default order
 * @param vnc null for no graphical console
 */
public record LaunchPlan(
    String guestName,
    String guestUid,
    Accelerator accelerator,
    String cpuModel,
    int cpus,
    long memoryMiB,
    List<DrivePlan> drives,
    BootPlan boot,
    List<NicPlan> nics,
    VncPlan vnc,
    RuntimePaths paths) {

  private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public LaunchPlan {
    Objects.requireNonNull(guestName, "guestName");
    Objects.requireNonNull(accelerator, "accelerator");
    Objects.requireNonNull(paths, "paths");
    if (guestUid == null || !UUID.matcher(guestUid).matches()) {
      throw new IllegalArgumentException("guestUid \"" + guestUid + "\" is not a UUID such as 5f0c8e4a-0b7e-4c55-9d0c-2f7a1c3e9b10");
    }
    if (cpus < 1) {
      throw new IllegalArgumentException("cpus " + cpus + " is out of range: at least 1");
    }
    if (memoryMiB < 1) {
      throw new IllegalArgumentException("memoryMiB " + memoryMiB + " is out of range: at least 1");
    }
    drives = drives == null ? List.of() : List.copyOf(drives);
    nics = nics == null ? List.of() : List.copyOf(nics);
    requireUnique("drive name", drives.stream().map(DrivePlan::name).toList());
    requireUnique("drive bootOrder", drives.stream().map(DrivePlan::bootOrder).filter(Objects::nonNull).toList());
    requireUnique("interface name", nics.stream().map(NicPlan::name).toList());
  }

  private static void requireUnique(String what, List<?> values) {
    Set<Object> seen = new HashSet<>();
    for (Object value : values) {
      if (!seen.add(value)) {
        throw new IllegalArgumentException(what + " " + value + " appears twice: each must be unique in a guest");
      }
    }
  }
}
