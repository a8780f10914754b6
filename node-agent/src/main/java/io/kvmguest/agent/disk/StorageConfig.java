package io.kvmguest.agent.disk;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the node agent keeps guest disks and what hosts paths guests may use.
 *
 * <p>Layout under {@code stateDir}:
 * <pre>
 *   guests/&lt;namespace&gt;_&lt;name&gt;_&lt;uid&gt;/          one directory per guest object ({@link GuestRef#dirName()})
 *   guests/&lt;namespace&gt;_&lt;name&gt;_&lt;uid&gt;/disks/&lt;disk&gt;.qcow2|raw   the guest's own images
 * </pre>
 * Downloads live in {@code cacheDir} as {@code <sha256>}, shared by all guests; an overlay may use
 * a cache entry as its backing file, so entries must outlive the guests that use them.
 *
 * @param stateDir                   root of the agent's persistent state (absolute)
 * @param imageDirs                  directories from which {@code source.path} and {@code iso.path} may come
 * @param blockDevices               allowed block devices: an entry ending in '/' allows every path under
 *                                   it (e.g. {@code /dev/disk/by-id/}), any other entry exactly that path;
 *                                   {@code =NS1,NS2} after it limits it to those namespaces ({@link DeviceGrant})
 * @param cacheDir                   download cache (absolute)
 * @param acceptRegularFilesAsDevices lets an allowed "block device" be a regular file; for tests and
 *                                   file-backed setups only, off in production
 */
public record StorageConfig(
    Path stateDir,
    List<Path> imageDirs,
    List<String> blockDevices,
    Path cacheDir,
    boolean acceptRegularFilesAsDevices) {

  public StorageConfig {
    stateDir = absolute(stateDir, "stateDir");
    cacheDir = absolute(cacheDir, "cacheDir");
    imageDirs = imageDirs.stream().map(dir -> absolute(dir, "imageDirs")).toList();
    blockDevices = List.copyOf(blockDevices);
    blockDevices.forEach(entry -> DeviceGrant.parse("blockDevices", entry));
  }

  /** Production settings: block devices must really be block devices. */
  public static StorageConfig of(Path stateDir, List<Path> imageDirs, List<String> blockDevices, Path cacheDir) {
    return new StorageConfig(stateDir, imageDirs, blockDevices, cacheDir, false);
  }

  /** All of one guest's storage; removing it removes the guest's disks. */
  public Path guestDir(GuestRef guest) {
    return stateDir.resolve("guests").resolve(guest.dirName());
  }

  /** The guest's image files. */
  public Path disksDir(GuestRef guest) {
    return guestDir(guest).resolve("disks");
  }

  // Relative paths would make qemu-img read "name:..." as a protocol prefix and depend on the cwd.
  private static Path absolute(Path path, String what) {
    if (path == null || !path.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be an absolute path, got " + path);
    }
    return path.normalize();
  }
}
