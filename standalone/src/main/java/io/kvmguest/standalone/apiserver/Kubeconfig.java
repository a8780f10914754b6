package io.kvmguest.standalone.apiserver;

import java.nio.file.Path;

/**
 * A kubeconfig for the embedded API server: cluster, user and context {@code kvmguest-standalone}. It holds the
 * API's bearer token, so it is written mode 0600, and the server's self-signed certificate as the CA to trust.
 */
public final class Kubeconfig {
  public static final String NAME = "kvmguest-standalone";

  private Kubeconfig() {
  }

  /**
   * Writes a kubeconfig whose current context talks to server (e.g. https://127.0.0.1:6443) with token, in
   * namespace default.
   */
  static Path write(Path file, String server, ServingCertificate tls, ApiToken token) {
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %1$s
          user:
            token: %4$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %1$s
            namespace: default
        current-context: %1$s
        preferences: {}
        """.formatted(NAME, server, tls.pemBase64(), token.value());
    return PrivateFiles.write(file, yaml, "the kubeconfig");
  }
}
