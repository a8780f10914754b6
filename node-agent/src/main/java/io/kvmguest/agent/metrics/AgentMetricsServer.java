package io.kvmguest.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import io.kvmguest.api.metrics.PlainTextReply;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The agent's --metrics-port: /metrics (JVM figures and the guests it runs) and /healthz (200 while
 * the agent loop runs, else 503), on all addresses so a Service can reach a DaemonSet pod.
 */
public final class AgentMetricsServer implements AutoCloseable {
  private final HttpServer server;

  public AgentMetricsServer(int port, BooleanSupplier agentRunning, IntSupplier guestsRunning) throws IOException {
    PrometheusEndpoint metrics = PrometheusEndpoint.withJvmMetrics();
    Gauge.builder("kvmguest_agent_guests_running", () -> guestsRunning.getAsInt())
        .description("qemu guests this agent supervises").register(metrics.registry());
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(PrometheusEndpoint.PATH, metrics);
    server.createContext("/healthz", exchange -> {
      boolean running = agentRunning.getAsBoolean();
      PlainTextReply.send(exchange, running ? 200 : 503, running ? "ok\n" : "agent loop not running\n");
    });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "agent-metrics");
      thread.setDaemon(true);
      return thread;
    }));
  }

  public AgentMetricsServer start() {
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
