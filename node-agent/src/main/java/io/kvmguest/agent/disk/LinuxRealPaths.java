package io.kvmguest.agent.disk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** {@link RealPaths} through the file system ({@code realpath(3)}). */
public final class LinuxRealPaths implements RealPaths {
  @Override
  public Optional<Path> realPath(Path path) {
    try {
      return Optional.of(path.toRealPath());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
