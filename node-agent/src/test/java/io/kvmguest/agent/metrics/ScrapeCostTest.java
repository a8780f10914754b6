package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Prints what a scrape costs at 1, 10 and 100 sampled guests (fake ones), and bounds it loosely. */
class ScrapeCostTest {

  @Test
  void aScrapeOfAHundredGuestsStaysCheap() {
    AtomicReference<MetricsSnapshot> latest = new AtomicReference<>();
    PrometheusEndpoint endpoint = PrometheusEndpoint.withJvmMetrics();
    endpoint.prometheusRegistry().register(new GuestMetricsCollector(latest::get));
    for (int guests : new int[] {1, 10, 100}) {
      List<MetricsSnapshot.Guest> sampled = new ArrayList<>();
      for (int i = 0; i < guests; i++) {
        sampled.add(Snapshots.sampled(Snapshots.running("u" + i, "vm" + i, 1000 + i)));
      }
      latest.set(Snapshots.of(sampled.toArray(MetricsSnapshot.Guest[]::new)));
      for (int warm = 0; warm < 20; warm++) {
        endpoint.scrape();
      }
      int rounds = 50;
      long t0 = System.nanoTime();
      int bytes = 0;
      for (int r = 0; r < rounds; r++) {
        bytes = endpoint.scrape().length();
      }
      double ms = (System.nanoTime() - t0) / 1e6 / rounds;
      System.out.printf("scrape of %3d guests: %.2f ms, %d bytes%n", guests, ms, bytes);
      assertTrue(ms < 500, guests + " guests took " + ms + " ms a scrape");
    }
  }
}
