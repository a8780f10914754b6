package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.agent.runtime.SecretSource;
import io.kvmguest.api.v1alpha1.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * A key of a Secret in the guest's namespace: {@code data[key]} base64-decoded, else
 * {@code stringData[key]} (the API server folds stringData into data, but an object written
 * elsewhere, for example to a test server, may carry only stringData). Empty when the Secret or key
 * is missing; API errors propagate.
 */
public final class KubernetesSecretSource implements SecretSource {
  private final KubernetesClient client;

  public KubernetesSecretSource(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<String> read(String namespace, SecretKeyRef ref) {
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.name()).get();
    if (secret == null) {
      return Optional.empty();
    }
    String encoded = valueOf(secret.getData(), ref.key());
    if (encoded != null) {
      try {
        return Optional.of(new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("Secret " + namespace + "/" + ref.name() + " key " + ref.key() + " is not valid base64", e);
      }
    }
    return Optional.ofNullable(valueOf(secret.getStringData(), ref.key()));
  }

  private static String valueOf(Map<String, String> map, String key) {
    return map == null ? null : map.get(key);
  }
}
