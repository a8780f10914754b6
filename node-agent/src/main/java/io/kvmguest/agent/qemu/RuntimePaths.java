package io.kvmguest.agent.qemu;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Files qemu creates for the agent. All absolute: a daemonized qemu changes its working directory
 * to /, where relative paths would land.
 */
public record RuntimePaths(Path qmpSocket, Path pidFile, Path serialLog) {
  /** sun_path holds 108 bytes including the terminating NUL. */
  static final int MAX_SOCKET_PATH_BYTES = 107;

  public RuntimePaths {
    requireAbsolute("qmpSocket", qmpSocket);
    requireAbsolute("pidFile", pidFile);
    requireAbsolute("serialLog", serialLog);
    if (qmpSocket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
      throw new IllegalArgumentException("qmpSocket \"" + qmpSocket + "\" is longer than " + MAX_SOCKET_PATH_BYTES
          + " bytes, the limit of a Unix socket address: use a shorter state directory");
    }
  }

  private static void requireAbsolute(String field, Path path) {
    Objects.requireNonNull(path, field);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException(field + " \"" + path + "\" must be an absolute path");
    }
  }
}
