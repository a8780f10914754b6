package io.kvmguest.agent.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One drive as qemu will open it.
 *
 * @param name the disk's or cdrom's name in the spec (unique among both)
 * @param path the image file or block device the agent resolved
 * @param bootOrder qemu bootindex, or null for none
 */
public record DrivePlan(
    String name, DriveKind kind, Path path, ImageFormat format, DiskBus bus, Integer bootOrder, boolean readOnly) {

  public DrivePlan {
    Objects.requireNonNull(name, "drive name");
    Objects.requireNonNull(kind, "drive " + name + ": kind");
    Objects.requireNonNull(path, "drive " + name + ": path");
    Objects.requireNonNull(format, "drive " + name + ": format");
    Objects.requireNonNull(bus, "drive " + name + ": bus");
    if (bootOrder != null && bootOrder < 1) {
      throw new IllegalArgumentException("drive " + name + ": bootOrder " + bootOrder + " is out of range: boot orders start at 1");
    }
  }
}
