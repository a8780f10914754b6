package io.kvmguest.agent.qemu;

import java.nio.file.Path;
import java.util.Objects;

/** Where a disk or CD-ROM ended up on the node (state-dir image, imported ISO, block device) and its format. */
public record ResolvedImage(Path path, ImageFormat format) {
  public ResolvedImage {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("image path \"" + path + "\" must be absolute");
    }
  }
}
