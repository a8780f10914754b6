package io.kvmguest.standalone.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Map;

/** Small guests created through the client. */
final class Guests {
  private Guests() {
  }

  static VirtualGuest create(KubernetesClient client, String name, Map<String, String> labels) {
    VirtualGuest guest = Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s}
        spec:
          cpus: 1
          memory: 128Mi
          interfaces: [{name: lan}]
        """.formatted(name), VirtualGuest.class);
    guest.getMetadata().setLabels(labels);
    return client.resource(guest).create();
  }
}
