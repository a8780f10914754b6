package io.kvmguest.api.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
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
    // ProcessorMetrics' process.cpu.time counts nanoseconds (process_cpu_time_ns_total, which promtool
    // rejects): export the conventional process_cpu_seconds_total instead.
    registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"));
    // ... and a gauge may not end in _count: system_cpu_count becomes system_cpus.
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
      }
    });
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
          .description("CPU time this process used, in seconds").register(registry);
    }
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
