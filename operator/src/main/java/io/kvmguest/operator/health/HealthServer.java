package io.kvmguest.operator.health;

import io.kvmguest.api.metrics.EndpointServer;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * /healthz: 200 while the process serves; /readyz: 200 once {@code ready} says so, else 503;
 * /metrics: {@code metrics} in the Prometheus text format.
 */
public final class HealthServer implements AutoCloseable {
  private final EndpointServer server;

  public HealthServer(int port, BooleanSupplier ready, PrometheusEndpoint metrics) throws IOException {
    server = EndpointServer.onAllAddresses(port, "health-server", Map.of(
        "/healthz", EndpointServer.probe(() -> true, "ok\n", "ok\n"),
        "/readyz", EndpointServer.probe(ready, "ready\n", "not ready\n"),
        PrometheusEndpoint.PATH, metrics));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
