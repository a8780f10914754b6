package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubernetesClientsTest {
  @TempDir Path tmp;

  @Test
  void theInformersReconnectBackoffStaysShortSoGuestsAreSeenSoonAfterAnOutage() throws Exception {
    Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443"}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: c, user: u}}]
        current-context: c
        """);
    try (KubernetesClient client = KubernetesClients.fromEnvironment(Optional.of(kubeconfig))) {
      int base = client.getConfiguration().getWatchReconnectInterval();
      assertEquals(125, base);
      assertEquals(4_000, base << 5, "fabric8 backs off up to 2^5 times the base");
    }
  }
}
