package io.kvmguest.standalone.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** A kubeconfig for the embedded API server: cluster, user and context {@code kvmguest-standalone}. */
public final class Kubeconfig {
  public static final String NAME = "kvmguest-standalone";

  private Kubeconfig() {
  }

  /** Writes a kubeconfig whose current context talks to server (e.g. http://127.0.0.1:6443) in namespace default. */
  public static Path write(Path file, String server) {
    return write(file, server, "default");
  }

  public static Path write(Path file, String server, String namespace) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
        users:
        - name: %1$s
          user: {}
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: %3$s
        current-context: %1$s
        preferences: {}
        """.formatted(NAME, server, namespace);
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".kubeconfig", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, yaml);
      return Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
    }
  }
}
