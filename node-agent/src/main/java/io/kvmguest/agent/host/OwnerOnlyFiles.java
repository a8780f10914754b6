package io.kvmguest.agent.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories (0700) and files (0600) only the agent's user may read: a guest's disks, serial
 * log and records hold tenant data and must not be readable by other users of the node.
 */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  /**
   * Creates {@code dir} and any missing parents below {@code top} (itself included) as 0700, and
   * tightens {@code dir} if it already existed. Directories above {@code top} are left as they are.
   */
  public static Path directories(Path top, Path dir) throws IOException {
    if (!dir.startsWith(top)) {
      throw new IllegalArgumentException(dir + " is not below " + top);
    }
    Files.createDirectories(dir);
    for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
      Files.setPosixFilePermissions(p, DIRECTORY);
    }
    return dir;
  }

  /** Tightens an existing file (one another program created, with its umask) to 0600. */
  public static Path restrict(Path file) throws IOException {
    Files.setPosixFilePermissions(file, FILE);
    return file;
  }

  /** An empty 0600 file, or an existing one tightened, for a program that will write it but keeps an existing file's mode. */
  public static Path file(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
    }
    return restrict(file);
  }
}
