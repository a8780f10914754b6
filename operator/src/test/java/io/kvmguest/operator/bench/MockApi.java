package io.kvmguest.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kvmguest.operator.testing.TestCluster;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

  private static final Pattern RESOURCE = Pattern.compile("/(virtualguests|events|nodes|leases|secrets|customresourcedefinitions)(?:/[^/?]+)?(/status)?");

  /** The requests the server received since the last call, counted by "METHOD resource[/status]". */
  Map<String, Integer> drainRequests() throws InterruptedException {
    Map<String, Integer> counts = new TreeMap<>();
    RecordedRequest request;
    while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
      counts.merge(category(request), 1, Integer::sum);
    }
    return counts;
  }

  private static String category(RecordedRequest request) {
    String path = request.getPath();
    Matcher resource = RESOURCE.matcher(path.split("\\?")[0]);
    String what = resource.find() ? resource.group(1) + (resource.group(2) == null ? "" : resource.group(2)) : path.split("\\?")[0];
    return request.getMethod() + " " + what + (path.contains("watch=true") ? " (watch)" : "");
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
