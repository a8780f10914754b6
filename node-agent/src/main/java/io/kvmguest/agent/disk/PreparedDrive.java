package io.kvmguest.agent.disk;

import java.nio.file.Path;

/**
 * A drive ready to hand to qemu: the file or device, its format and whether qemu may write to it.
 *
 * @param name     the disk or cdrom name from the spec (also the qemu drive id)
 * @param path     absolute path of the image file or block device
 * @param format   qemu format to open it with (qcow2 or raw; never probed by qemu)
 * @param readOnly true for CD-ROMs
 */
public record PreparedDrive(String name, Path path, String format, boolean readOnly, Kind kind) {

  public enum Kind { DISK, CDROM }
}
