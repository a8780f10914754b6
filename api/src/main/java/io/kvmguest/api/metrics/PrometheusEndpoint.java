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
    return withJvmMetrics(new MeterFilter[0]);
  }

  /**
   * {@code filters} are configured first, before any meter is registered (Micrometer applies a
   * filter only to meters registered after it, and warns about one configured later).
   */
  public static PrometheusEndpoint withJvmMetrics(MeterFilter... filters) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (MeterFilter filter : filters) {
      registry.config().meterFilter(filter);
    }
    // As `promtool check metrics` wants: ProcessorMetrics' CPU time is in "ns" (exported as
    // process_cpu_time_ns_total, an abbreviated unit; replaced by process_cpu_seconds_total below),
    // and its gauge system.cpu.count would end in _count, which Prometheus reserves for histograms.
    registry.config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
          }
        });
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .description("CPU time used by the Java virtual machine process")
          .baseUnit("seconds")
          .register(registry);
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
