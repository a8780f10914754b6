package io.kvmguest.agent.host;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file's content in one step: the content goes to a temporary file beside it, which is
 * then renamed over it, so a reader (or a restart after a crash) sees the old content or the new,
 * never part of one. The temporary file has its final mode from the moment it exists.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Who may read the file: everyone (0644, as files the agent writes with the default umask), or its owner only (0600). */
  public enum Access {
    WORLD_READABLE(PosixFilePermissions.fromString("rw-r--r--")),
    OWNER_ONLY(OwnerOnlyFiles.FILE);

    private final Set<PosixFilePermission> mode;

    Access(Set<PosixFilePermission> mode) {
      this.mode = mode;
    }
  }

  /** Whether the content reaches the disk before the rename: for state a power loss must not roll back to nothing. */
  public enum Durability {
    CACHED,
    SYNCED
  }

  /** Writes {@code content} as {@code file} (its directory created if missing) and returns {@code file}. */
  public static Path replace(Path file, byte[] content, Access access, Durability durability) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", PosixFilePermissions.asFileAttribute(access.mode));
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        if (durability == Durability.SYNCED) {
          channel.force(true);
        }
      }
      // beside its target, so the rename never crosses a file system
      return Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp); // only a failed replace leaves it behind
      throw e;
    }
  }
}
