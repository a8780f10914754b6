package io.kvmguest.agent.qemu;

import java.util.Arrays;
import java.util.Locale;

/** The controller a drive hangs on. */
public enum DiskBus {
  VIRTIO,
  IDE,
  /** virtio-scsi: one virtio-scsi-pci controller carries all such drives. */
  SCSI;

  /** The bus named as in the API (spec.disks[].bus). */
  public static DiskBus fromApi(String name) {
    return Arrays.stream(values())
        .filter(b -> b.apiName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("disk bus \"" + name + "\" is not supported: use virtio, ide or scsi"));
  }

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
