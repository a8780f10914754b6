package io.kvmguest.operator.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {
  @Test
  void livenessIsAlwaysOkAndReadinessFollowsTheOperator() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    try (HealthServer server = new HealthServer(0, ready::get, PrometheusEndpoint.withJvmMetrics()).start()) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, get(http, server, "/healthz"));
      assertEquals(503, get(http, server, "/readyz"));
      ready.set(true);
      assertEquals(200, get(http, server, "/readyz"));
    }
  }

  @Test
  void metricsAreServedInThePrometheusTextFormat() throws Exception {
    try (HealthServer server = new HealthServer(0, () -> true, PrometheusEndpoint.withJvmMetrics()).start()) {
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("jvm_memory_used_bytes"), metrics.body());
      assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    }
  }

  private static int get(HttpClient http, HealthServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
