package io.kvmguest.agent.disk;

import java.nio.file.Path;
import java.util.Optional;

/** Resolves symbolic links: the file a path really names. */
public interface RealPaths {

  /** The real path of an existing file, or empty when nothing exists at {@code path}. */
  Optional<Path> realPath(Path path);
}
