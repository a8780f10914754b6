package io.kvmguest.operator.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    try (HealthServer server = new HealthServer(0, ready::get).start()) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, get(http, server, "/healthz"));
      assertEquals(503, get(http, server, "/readyz"));
      ready.set(true);
      assertEquals(200, get(http, server, "/readyz"));
    }
  }

  private static int get(HttpClient http, HealthServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
