package io.kvmguest.agent.disk;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.v1alpha1.BlockDevice;
import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.DiskImage;
import io.kvmguest.api.v1alpha1.HttpSource;
import io.kvmguest.api.v1alpha1.ImageSource;
import java.nio.file.Path;

/** Short spellings of the API's disk and CD-ROM records for tests. */
final class DiskSpecs {
  private DiskSpecs() {}

  static final GuestRef GUEST = new GuestRef("default", "vm1", "0b5c9a4e-1111-2222-3333-444455556666");

  static Disk empty(String name, String format, String size) {
    return image(name, new DiskImage(new Quantity(size), format, null));
  }

  static Disk fromPath(String name, String format, String size, Path base) {
    return image(name, new DiskImage(size == null ? null : new Quantity(size), format, new ImageSource(base.toString(), null)));
  }

  static Disk fromHttp(String name, String format, String size, String url, String sha256) {
    return image(name, new DiskImage(size == null ? null : new Quantity(size), format,
        new ImageSource(null, new HttpSource(url, sha256))));
  }

  static Disk image(String name, DiskImage image) {
    return new Disk(name, "virtio", null, image, null);
  }

  static Disk device(String name, String path) {
    return new Disk(name, "virtio", null, null, new BlockDevice(path));
  }

  static Cdrom isoPath(String name, Path iso) {
    return new Cdrom(name, new ImageSource(iso.toString(), null), 1);
  }

  static Cdrom isoHttp(String name, String url, String sha256) {
    return new Cdrom(name, new ImageSource(null, new HttpSource(url, sha256)), 1);
  }
}
