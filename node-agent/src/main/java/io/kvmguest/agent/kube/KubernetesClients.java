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
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
