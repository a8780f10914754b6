package io.kvmguest.agent.disk;

import io.kvmguest.agent.host.OwnerOnlyFiles;
import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.DiskImage;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a guest's disks and CD-ROMs ready for qemu. Images are created in the guest's directory
 * ({@link StorageConfig#disksDir}) once and then kept: the guest's data lives there, so preparing
 * again (after an agent restart, a guest restart or a spec change) never recreates or overwrites
 * an image; it only grows one whose requested size grew. An image is built under a temporary name
 * and renamed when complete, so a crash mid-build never leaves a half image that looks finished.
 * Not meant to run concurrently for the same guest.
 */
public final class DiskPreparer {
  private static final Logger LOG = LoggerFactory.getLogger(DiskPreparer.class);
  // Disk names become file names: the API's DNS labels hold no '/' or leading '.'.
  private static final Pattern DISK_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int S_IFMT = 0170000;
  private static final int S_IFBLK = 0060000;

  private final StorageConfig config;
  private final Allowlist allowlist;
  private final QemuImg qemuImg;
  private final BaseImages bases;

  public DiskPreparer(StorageConfig config, Allowlist allowlist, QemuImg qemuImg, ImageDownloader downloader) {
    this.config = config;
    this.allowlist = allowlist;
    this.qemuImg = qemuImg;
    this.bases = new BaseImages(allowlist, qemuImg, downloader);
  }

  /**
   * Every disk, then every CD-ROM, in spec order. When this fails for a guest that had no storage yet, what it
   * made (the guest's directory) goes again: a refused guest leaves nothing in the state dir. A guest that had
   * storage keeps it, since its disks hold data.
   */
  public List<PreparedDrive> prepare(GuestRef guest, VirtualGuestSpec spec) {
    boolean hadStorage = Files.exists(config.guestDir(guest), LinkOption.NOFOLLOW_LINKS);
    try {
      List<PreparedDrive> drives = new ArrayList<>();
      for (int i = 0; i < spec.disks().size(); i++) {
        drives.add(prepareDisk(guest, i, spec.disks().get(i)));
      }
      for (int i = 0; i < spec.cdroms().size(); i++) {
        drives.add(prepareCdrom(guest, i, spec.cdroms().get(i)));
      }
      return List.copyOf(drives);
    } catch (RuntimeException e) {
      if (!hadStorage) {
        deleteGuestStorage(guest);
      }
      throw e;
    }
  }

  /** @param index the disk's position in {@code spec.disks}, for error messages */
  public PreparedDrive prepareDisk(GuestRef guest, int index, Disk disk) {
    String field = "spec.disks[" + index + "]";
    checkName(disk.name(), field);
    if ((disk.image() == null) == (disk.blockDevice() == null)) {
      throw new StorageException(field + ": set exactly one of image or blockDevice");
    }
    if (disk.blockDevice() != null) {
      Path device = blockDevice(disk.blockDevice().path(), field + ".blockDevice.path", guest.namespace());
      return new PreparedDrive(disk.name(), device, "raw", false, PreparedDrive.Kind.DISK);
    }
    Path image = imageFile(guest, disk.name(), disk.image(), field + ".image");
    return new PreparedDrive(disk.name(), image, disk.image().format(), false, PreparedDrive.Kind.DISK);
  }

  /** @param index the CD-ROM's position in {@code spec.cdroms}, for error messages */
  public PreparedDrive prepareCdrom(GuestRef guest, int index, Cdrom cdrom) {
    String field = "spec.cdroms[" + index + "]";
    checkName(cdrom.name(), field);
    if (cdrom.iso() == null) {
      throw new StorageException(field + ".iso: is required: set iso.path or iso.http");
    }
    // Read-only and opened as raw: qemu never writes to or probes a shared ISO.
    Path iso = bases.localFile(cdrom.iso(), field + ".iso");
    return new PreparedDrive(cdrom.name(), iso, "raw", true, PreparedDrive.Kind.CDROM);
  }

  /** Removes all of a guest's storage (its disks' data too). Does nothing if there is none. */
  public void deleteGuestStorage(GuestRef guest) {
    Path dir = config.guestDir(guest);
    try {
      if (FileTrees.deleteRecursively(dir)) {
        LOG.info("deleted storage of guest {} at {}", guest, dir);
      }
    } catch (IOException e) {
      throw new StorageException("cannot delete the storage of guest " + guest + " at " + dir + ": " + e.getMessage(), e);
    }
  }

  private Path imageFile(GuestRef guest, String name, DiskImage spec, String field) {
    String format = spec.format();
    if (!Enums.allows(Enums.ImageFormat.class, format)) {
      throw new StorageException(field + ".format: \"" + format + "\" is not supported: use qcow2 or raw");
    }
    Long size = spec.size() == null ? null : ImageSizes.bytes(spec.size(), field + ".size");
    Path dir = config.disksDir(guest);
    Path target = dir.resolve(name + "." + format);
    for (String other : Enums.names(Enums.ImageFormat.class)) {
      Path existing = dir.resolve(name + "." + other);
      if (!other.equals(format) && Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw new StorageException(field + ".format: disk \"" + name + "\" already exists as " + other + " (" + existing
            + ") and is kept with its data; set format back to " + other + " or delete the guest to start afresh");
      }
    }
    try {
      OwnerOnlyFiles.directories(config.stateDir().resolve("guests"), dir);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        keep(target, format, size, field);
        // images made before the agent kept them private are tightened too
        OwnerOnlyFiles.restrict(target);
        return target;
      }
      Path partial = dir.resolve("." + name + "." + format + ".partial");
      Files.deleteIfExists(partial);
      try {
        build(partial, format, size, spec, field);
        // qemu-img creates it with its umask (0644 usually): the guest's data is for the agent only
        OwnerOnlyFiles.restrict(partial);
        durable(partial);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
      LOG.info("guest {}: created disk {} at {}", guest, name, target);
      return target;
    } catch (IOException e) {
      // a full or read-only disk may be put right by the admin: try again
      throw StorageException.retryable(field + ": cannot create the image in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void build(Path partial, String format, Long size, DiskImage spec, String field) {
    if (spec.source() == null) {
      if (size == null) {
        throw new StorageException(field + ".size: is required for an empty image (no source): a quantity such as 10Gi");
      }
      qemu(field, () -> qemuImg.create(partial, format, size));
      return;
    }
    BaseImages.Base base = bases.resolve(spec.source(), field + ".source");
    if (format.equals("qcow2")) {
      qemu(field, () -> qemuImg.createOverlay(partial, base.path(), base.info().format()));
    } else {
      qemu(field, () -> qemuImg.convert(base.path(), base.info().format(), partial, format));
    }
    if (size != null && size > base.info().virtualSize()) {
      qemu(field, () -> qemuImg.resize(partial, format, size));
    }
  }

  /** An existing image keeps its content; it only grows when the spec asks for more. */
  private void keep(Path image, String format, Long size, String field) {
    if (size == null) {
      return;
    }
    ImageInfo info = ask(field, () -> qemuImg.info(image, format));
    if (size > info.virtualSize()) {
      LOG.info("growing {} from {} to {} bytes", image, info.virtualSize(), size);
      qemu(field, () -> qemuImg.resize(image, format, size));
    }
  }

  private Path blockDevice(String path, String field, String namespace) {
    Path device = allowlist.blockDevice(field, path, namespace);
    int mode;
    try {
      mode = (Integer) Files.getAttribute(device, "unix:mode");
    } catch (NoSuchFileException e) {
      throw new StorageException(field + ": \"" + path + "\" does not exist on this node");
    } catch (IOException | UnsupportedOperationException e) {
      throw new StorageException(field + ": cannot inspect \"" + path + "\": " + e.getMessage(), e);
    }
    boolean block = (mode & S_IFMT) == S_IFBLK;
    boolean acceptedFile = config.acceptRegularFilesAsDevices() && Files.isRegularFile(device);
    if (!block && !acceptedFile) {
      throw new StorageException(field + ": \"" + path + "\" is not a block device");
    }
    return device;
  }

  // On disk before it gets its final name: after a power cut a finished-looking image is complete.
  private static void durable(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void checkName(String name, String field) {
    if (name == null || !DISK_NAME.matcher(name).matches() || name.length() > 63) {
      throw new StorageException(field + ".name: \"" + name + "\" is not a DNS label");
    }
  }

  private static void qemu(String field, Runnable call) {
    ask(field, () -> {
      call.run();
      return null;
    });
  }

  private static <T> T ask(String field, Supplier<T> call) {
    try {
      return call.get();
    } catch (QemuImgException e) {
      String message = field + ": " + e.getMessage();
      throw mayPass(e) ? StorageException.retryable(message, e) : new StorageException(message, e);
    }
  }

  /** A full disk or a qemu-img that timed out may succeed later; a bad image will not. */
  private static boolean mayPass(QemuImgException e) {
    String message = String.valueOf(e.getMessage());
    return message.contains("No space left on device") || message.contains("Disk quota exceeded") || message.contains("timed out");
  }
}
