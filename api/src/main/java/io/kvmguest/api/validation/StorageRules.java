package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.DiskImage;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.HttpSource;
import io.kvmguest.api.v1alpha1.ImageSource;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** disks and cdroms: names, exactly-one-of choices, paths and download sources. */
final class StorageRules {
  private StorageRules() {}

  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  static void check(VirtualGuestSpec spec, Errors errors) {
    Map<String, String> namesSeen = new HashMap<>();
    List<Disk> disks = spec.disks();
    for (int i = 0; i < disks.size(); i++) {
      String path = "spec.disks[" + i + "]";
      uniqueName(disks.get(i).name(), path, namesSeen, errors);
      checkDisk(disks.get(i), path, errors);
    }
    List<Cdrom> cdroms = spec.cdroms();
    for (int i = 0; i < cdroms.size(); i++) {
      String path = "spec.cdroms[" + i + "]";
      uniqueName(cdroms.get(i).name(), path, namesSeen, errors);
      if (cdroms.get(i).iso() == null) {
        errors.add(path + ".iso", "is required: set iso.path or iso.http");
      } else {
        checkSource(cdroms.get(i).iso(), path + ".iso", errors);
      }
    }
  }

  /** Disk and cdrom names share one namespace: both become qemu drive ids. */
  private static void uniqueName(String name, String path, Map<String, String> seen, Errors errors) {
    Optional<String> problem = Checks.dnsLabel(name);
    if (problem.isPresent()) {
      errors.add(path + ".name", problem.get());
      return;
    }
    String earlier = seen.putIfAbsent(name, path);
    if (earlier != null) {
      errors.add(path + ".name", "\"" + name + "\" is already used by " + earlier + ": disk and cdrom names must be unique");
    }
  }

  private static void checkDisk(Disk disk, String path, Errors errors) {
    Checks.oneOf(Enums.DiskBus.class, disk.bus()).ifPresent(m -> errors.add(path + ".bus", m));
    boolean hasImage = disk.image() != null;
    boolean hasDevice = disk.blockDevice() != null;
    if (hasImage == hasDevice) {
      errors.add(path, hasImage
          ? "sets both image and blockDevice: set exactly one"
          : "sets neither image nor blockDevice: set exactly one");
    }
    if (hasImage) {
      checkImage(disk.image(), path + ".image", errors);
    }
    if (hasDevice) {
      String devicePath = disk.blockDevice().path();
      Checks.hostPath(devicePath).ifPresent(m -> errors.add(path + ".blockDevice.path", m));
    }
  }

  private static void checkImage(DiskImage image, String path, Errors errors) {
    Checks.oneOf(Enums.ImageFormat.class, image.format()).ifPresent(m -> errors.add(path + ".format", m));
    if (image.size() != null) {
      Optional<BigDecimal> bytes = Quantities.bytes(image.size());
      if (bytes.isEmpty() || bytes.get().signum() <= 0) {
        errors.add(path + ".size", "\"" + Checks.printable(image.size().toString()) + "\" is not a positive quantity: use a size such as 10Gi");
      }
    } else if (image.source() == null) {
      errors.add(path + ".size", "is required for an empty image (no source): a quantity such as 10Gi");
    }
    if (image.source() != null) {
      checkSource(image.source(), path + ".source", errors);
    }
  }

  private static void checkSource(ImageSource source, String path, Errors errors) {
    boolean hasPath = source.path() != null;
    boolean hasHttp = source.http() != null;
    if (hasPath == hasHttp) {
      errors.add(path, hasPath ? "sets both path and http: set exactly one" : "sets neither path nor http: set exactly one");
    }
    if (hasPath) {
      Checks.hostPath(source.path()).ifPresent(m -> errors.add(path + ".path", m));
    }
    if (hasHttp) {
      checkHttp(source.http(), path + ".http", errors);
    }
  }

  private static void checkHttp(HttpSource http, String path, Errors errors) {
    String url = http.url();
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      errors.add(path + ".url", "\"" + Checks.printable(url) + "\" is not an http:// or https:// address");
    }
    if (http.sha256() == null || http.sha256().isEmpty()) {
      errors.add(path + ".sha256", "is required for a download: the SHA-256 of the file, 64 hex digits");
    } else if (!SHA256.matcher(http.sha256()).matches()) {
      errors.add(path + ".sha256", "\"" + Checks.printable(http.sha256()) + "\" is not a SHA-256: 64 hex digits");
    }
  }
}
