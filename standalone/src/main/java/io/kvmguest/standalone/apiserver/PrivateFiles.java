package io.kvmguest.standalone.apiserver;

import io.kvmguest.agent.host.AtomicFiles;
import io.kvmguest.agent.host.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files that hold the API's credential: readable by their owner only, from the moment they exist. */
final class PrivateFiles {

  private PrivateFiles() {
  }

  /**
   * Writes text to file with mode 0600. The content goes to a temporary file created 0600 and is then renamed over
   * file, so no reader ever sees a half-written file or one with wider permissions.
   */
  static Path write(Path file, String text, String what) {
    return write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), what);
  }

  static Path write(Path file, byte[] content, String what) {
    try {
      return AtomicFiles.replace(file, content, AtomicFiles.Access.OWNER_ONLY, AtomicFiles.Durability.CACHED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + what + " " + file, e);
    }
  }

  /** Whether nobody but the owner may read or write file. */
  static boolean ownerOnly(Path file) throws IOException {
    return OwnerOnlyFiles.FILE.containsAll(Files.getPosixFilePermissions(file));
  }
}
