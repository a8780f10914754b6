package io.kvmguest.agent.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Supplier;

/** Exposes the latest {@link MetricsSnapshot} at each scrape: no sampling, no I/O, no API calls. */
public final class GuestMetricsCollector implements MultiCollector {
  private final Supplier<MetricsSnapshot> latest;

  public GuestMetricsCollector(Supplier<MetricsSnapshot> latest) {
    this.latest = latest;
  }

  @Override
  public MetricSnapshots collect() {
    return GuestExposition.of(latest.get());
  }

  @Override
  public List<String> getPrometheusNames() {
    return GuestExposition.NAMES.stream().map(GuestMetricsCollector::stripSuffix).toList();
  }

  private static String stripSuffix(String name) {
    for (String suffix : List.of("_total", "_info")) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }
}
