package io.kvmguest.agent.metrics;

import io.kvmguest.api.metrics.EndpointServer;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The agent's --metrics-port: /metrics (the registry the guests' meters are on, docs/metrics.md)
 * and /healthz (200 while the agent loop runs, else 503), on all addresses so a Service can reach a
 * DaemonSet pod.
 */
public final class AgentMetricsServer implements AutoCloseable {
  private final EndpointServer server;

  /** Serves {@code metrics}, the registry the caller made (and may share with the operator's meters). */
  public AgentMetricsServer(int port, PrometheusEndpoint metrics, BooleanSupplier agentRunning) throws IOException {
    server = EndpointServer.onAllAddresses(port, "agent-metrics", Map.of(
        PrometheusEndpoint.PATH, metrics,
        "/healthz", EndpointServer.probe(agentRunning, "ok\n", "agent loop not running\n")));
  }

  public AgentMetricsServer start() {
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
