package io.kvmguest.standalone;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.metrics.EndpointServer;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Prometheus metrics on 127.0.0.1: JVM figures and the guests per phase. */
final class Metrics implements AutoCloseable {
  private final EndpointServer server;

  private Metrics(EndpointServer server) {
    this.server = server;
  }

  static Metrics start(int port, KubernetesClient client) {
    PrometheusEndpoint metrics = PrometheusEndpoint.withJvmMetrics();
    for (String phase : Enums.names(Enums.Phase.class)) {
      Gauge.builder("kvmguest_virtualguests", () -> count(client, phase))
          .description("VirtualGuests by status.phase").tag("phase", phase).register(metrics.registry());
    }
    try {
      return new Metrics(EndpointServer.onLoopback(port, "standalone-metrics", Map.of(PrometheusEndpoint.PATH, metrics)).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + port, e);
    }
  }

  private static double count(KubernetesClient client, String phase) {
    return client.resources(VirtualGuest.class).inAnyNamespace().list().getItems().stream()
        .filter(g -> g.getStatus() != null && phase.equals(g.getStatus().phase())).count();
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
