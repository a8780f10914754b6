package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.v1alpha1.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesSecretSourceTest {
  KubernetesClient client;
  KubernetesSecretSource secrets;

  @BeforeEach
  void setUp() {
    secrets = new KubernetesSecretSource(client);
    client.resource(new SecretBuilder().withNewMetadata().withName("vnc").withNamespace("ns1").endMetadata()
        .addToData("password", Base64.getEncoder().encodeToString("s3cr3t, with comma".getBytes(StandardCharsets.UTF_8)))
        .addToStringData("plain", "from-stringData")
        .build()).create();
  }

  @Test
  void readsDataBase64Decoded() {
    assertEquals(Optional.of("s3cr3t, with comma"), secrets.read("ns1", new SecretKeyRef("vnc", null)));
  }

  @Test
  void readsStringData() {
    assertEquals(Optional.of("from-stringData"), secrets.read("ns1", new SecretKeyRef("vnc", "plain")));
  }

  @Test
  void emptyForAMissingKeySecretOrNamespace() {
    assertEquals(Optional.empty(), secrets.read("ns1", new SecretKeyRef("vnc", "nope")));
    assertEquals(Optional.empty(), secrets.read("ns1", new SecretKeyRef("other", "password")));
    assertEquals(Optional.empty(), secrets.read("ns2", new SecretKeyRef("vnc", "password")));
  }
}
