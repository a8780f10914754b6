package io.kvmguest.api.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} in the Prometheus text format, from a registry with the JVM's figures bound;
 * a program adds its own meters to {@link #registry()}.
 */
public final class PrometheusEndpoint implements HttpHandler {
  public static final String PATH = "/metrics";
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;

  private PrometheusEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  public static PrometheusEndpoint withJvmMetrics() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new PrometheusEndpoint(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus client registry behind {@link #registry()}, for collectors of its own metric families. */
  public PrometheusRegistry prometheusRegistry() {
    return registry.getPrometheusRegistry();
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    PlainTextReply.send(exchange, 200, CONTENT_TYPE, scrape().getBytes(StandardCharsets.UTF_8));
  }
}
