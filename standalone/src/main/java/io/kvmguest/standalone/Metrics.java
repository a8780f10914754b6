package io.kvmguest.standalone;

import io.kvmguest.api.metrics.EndpointServer;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Standalone's --metrics-port on 127.0.0.1: the operator's and the agent's meters, from one registry. */
final class Metrics implements AutoCloseable {
  private final EndpointServer server;

  private Metrics(EndpointServer server) {
    this.server = server;
  }

  static Metrics start(int port, PrometheusEndpoint registry) {
    try {
      return new Metrics(EndpointServer.onLoopback(port, "standalone-metrics", Map.of(PrometheusEndpoint.PATH, registry)).start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on 127.0.0.1:" + port, e);
    }
  }

  int port() {
    return server.port();
  }

  @Override
  public void close() {
    server.close();
  }
}
