package io.kvmguest.operator.health;

import com.sun.net.httpserver.HttpServer;
import io.kvmguest.api.metrics.PlainTextReply;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * /healthz: 200 while the process serves; /readyz: 200 once {@code ready} says so, else 503;
 * /metrics: {@code metrics} in the Prometheus text format.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, BooleanSupplier ready, PrometheusEndpoint metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> PlainTextReply.send(exchange, 200, "ok\n"));
    server.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      PlainTextReply.send(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready\n");
    });
    server.createContext(PrometheusEndpoint.PATH, metrics);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "health-server");
      thread.setDaemon(true);
      return thread;
    }));
  }

  public HealthServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
