package io.kvmguest.agent.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Read-only access to host files: the seam through which the probe looks at /proc, /sys and /dev. */
public interface HostFiles {

  /** The file's text, or empty when it does not exist or cannot be read. */
  Optional<String> read(Path file);

  boolean exists(Path path);

  /** Names of the entries of a directory; empty when it does not exist. */
  List<String> list(Path directory);

  /** Whether the file (a device node, typically) can be opened for reading and writing now. */
  boolean opensReadWrite(Path file);
}
