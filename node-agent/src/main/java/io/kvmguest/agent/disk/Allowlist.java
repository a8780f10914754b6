package io.kvmguest.agent.disk;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides which host paths a guest may use: images and ISOs only from the administrator's image
 * directories, block devices only from the administrator's list, and only in the namespaces an
 * entry names ({@link DeviceGrant}). Guest specs come from any user with access to the namespace,
 * so without this a guest could read /etc/shadow as a "CD-ROM", or another tenant's volume as a disk.
 * Every refusal names the spec field, the path and what is allowed.
 */
public final class Allowlist {
  private final List<Path> imageDirs;
  private final List<DeviceGrant> blockDevices;
  private final RealPaths realPaths;

  public Allowlist(StorageConfig config, RealPaths realPaths) {
    this.imageDirs = config.imageDirs();
    this.blockDevices = config.blockDevices().stream().map(entry -> DeviceGrant.parse("blockDevices", entry)).toList();
    this.realPaths = realPaths;
  }

  /**
   * An image or ISO path: after normalizing it must lie below an allowed directory, and when the
   * file exists its real path (symbolic links resolved) must too.
   *
   * @return the path to open: the real path when the file exists, else the normalized path
   */
  public Path imagePath(String field, String path) {
    Path normalized = absolute(field, path);
    if (imageDirs.isEmpty()) {
      throw new StorageException(field + ": \"" + path + "\" is not allowed: this node allows no image directories"
          + " (the node agent's imageDirs list is empty)");
    }
    if (!underImageDir(normalized)) {
      throw new StorageException(field + ": \"" + path + "\" is outside the allowed image directories ("
          + imageDirList() + "); use an image from one of them");
    }
    Optional<Path> real = realPaths.realPath(normalized);
    if (real.isPresent() && !underImageDir(real.get()) && !underRealImageDir(real.get())) {
      throw new StorageException(field + ": \"" + path + "\" is a link to \"" + real.get()
          + "\", which is outside the allowed image directories (" + imageDirList() + ")");
    }
    return real.orElse(normalized);
  }

  /**
   * A block device path, matched as written (normalized) against the list: udev links such as
   * /dev/disk/by-id/... resolve to /dev/sdX by design, so the list names the links. The entry must
   * also grant the guest's namespace.
   *
   * @return the normalized path
   */
  public Path blockDevice(String field, String path, String namespace) {
    Path normalized = absolute(field, path);
    if (blockDevices.isEmpty()) {
      throw new StorageException(field + ": \"" + path + "\" is not allowed: this node allows no block devices"
          + " (the node agent's blockDevices list is empty)");
    }
    String candidate = normalized.toString();
    List<DeviceGrant> covering = blockDevices.stream().filter(grant -> grant.covers(candidate)).toList();
    if (covering.stream().anyMatch(grant -> grant.grants(namespace))) {
      return normalized;
    }
    List<DeviceGrant> ours = blockDevices.stream().filter(grant -> grant.grants(namespace)).toList();
    // Other namespaces' devices are not listed: their names are none of this tenant's business.
    String allowed = ours.isEmpty() ? "none for namespace " + namespace
        : ours.stream().map(DeviceGrant::describe).collect(Collectors.joining(", "));
    if (!covering.isEmpty()) {
      throw new StorageException(field + ": \"" + path + "\" is reserved for other namespaces than " + namespace
          + "; this node allows " + allowed);
    }
    throw new StorageException(field + ": \"" + path + "\" is not an allowed block device; this node allows " + allowed);
  }

  private boolean underImageDir(Path path) {
    return imageDirs.stream().anyMatch(dir -> path.startsWith(dir) && !path.equals(dir));
  }

  // An allowed directory may itself be a link (e.g. /var/lib/images -> /data/images).
  private boolean underRealImageDir(Path real) {
    return imageDirs.stream()
        .map(realPaths::realPath)
        .flatMap(Optional::stream)
        .anyMatch(dir -> real.startsWith(dir) && !real.equals(dir));
  }

  private String imageDirList() {
    return imageDirs.stream().map(Path::toString).collect(Collectors.joining(", "));
  }

  private static Path absolute(String field, String path) {
    if (path == null || path.isEmpty()) {
      throw new StorageException(field + ": is required: an absolute path on the node");
    }
    if (!path.startsWith("/")) {
      throw new StorageException(field + ": \"" + path + "\" is relative: use an absolute path");
    }
    try {
      return Path.of(path).normalize();
    } catch (InvalidPathException e) {
      throw new StorageException(field + ": \"" + path + "\" is not a valid path: " + e.getReason());
    }
  }
}
