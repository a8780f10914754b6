package io.kvmguest.agent.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The file operations cgroup placement needs: the seam between {@link CgroupfsGuestCgroups} and
 * /sys/fs/cgroup (and /proc/self/mountinfo), so its logic runs against a directory in tests.
 */
public interface CgroupFiles {

  /** The file's text, or empty when it does not exist or cannot be read. */
  Optional<String> read(Path file);

  /** Writes {@code text} to an existing file (a cgroup's {@code cgroup.procs}, {@code cpuset.cpus}). */
  void write(Path file, String text) throws IOException;

  boolean isDirectory(Path path);

  /** Whether this process may make directories in {@code directory} (a read-only mount says no). */
  boolean isWritable(Path directory);

  boolean isExecutable(Path file);

  /** Makes the directory unless it exists. */
  void makeDirectory(Path directory) throws IOException;

  /**
   * Removes a cgroup directory. Returns false when it did not exist; throws when the kernel refuses
   * (processes or child cgroups still in it).
   */
  boolean removeDirectory(Path directory) throws IOException;
}
