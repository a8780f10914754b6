package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AgentMetricsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheRegistryItIsGivenAndTheLoopsHealth() throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    PrometheusEndpoint registry = PrometheusEndpoint.withJvmMetrics();
    Counter.builder("kvmguest.test.marker").description("a meter of the caller's").register(registry.registry()).increment();
    try (AgentMetricsServer server = new AgentMetricsServer(0, registry, running::get).start()) {
      HttpResponse<String> metrics = get(server, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("jvm_"), metrics.body());
      assertTrue(metrics.body().contains("kvmguest_test_marker_total 1.0"), metrics.body());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));

      assertEquals(200, get(server, "/healthz").statusCode());
      running.set(false);
      assertEquals(503, get(server, "/healthz").statusCode());
    }
  }

  private HttpResponse<String> get(AgentMetricsServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
