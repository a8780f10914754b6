package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The agent's API client: from {@code --kubeconfig} when given, else as fabric8 finds it (the pod's
 * service account in a DaemonSet, else {@code $KUBECONFIG} or {@code ~/.kube/config}).
 */
public final class KubernetesClients {
  /**
   * Base of the informer's reconnect backoff. fabric8 waits this times 2^min(attempt, 5) between
   * failed list-and-watch attempts and resets only once one succeeds; with its default (1 s) the wait
   * grows to 32 s during a long outage, so the agent could see its guests again half a minute after
   * the API server returned. 125 ms caps the wait at 4 s.
   */
  static final int WATCH_RECONNECT_INTERVAL_MS = 125;

  private KubernetesClients() {}

  public static KubernetesClient fromEnvironment(Optional<Path> kubeconfig) {
    Config config;
    if (kubeconfig.isPresent()) {
      if (!Files.isReadable(kubeconfig.get())) {
        throw new IllegalArgumentException("--kubeconfig " + kubeconfig.get() + " is not a readable file");
      }
      config = Config.fromKubeconfig(kubeconfig.get().toFile());
    } else {
      config = Config.autoConfigure(null);
    }
    config.setWatchReconnectInterval(WATCH_RECONNECT_INTERVAL_MS);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
