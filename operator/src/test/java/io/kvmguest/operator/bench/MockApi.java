package io.kvmguest.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kvmguest.operator.testing.TestCluster;
import java.util.HashMap;

/** A fresh fabric8 CRUD mock API server (plain HTTP) with the VirtualGuest CRD, outside JUnit. */
final class MockApi implements AutoCloseable {
  private final KubernetesMockServer server;
  final KubernetesClient client;

  MockApi() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    TestCluster.installCrd(client);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
