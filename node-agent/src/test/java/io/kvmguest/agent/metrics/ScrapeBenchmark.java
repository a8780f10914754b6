package io.kvmguest.agent.metrics;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.runtime.GuestView;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent's metrics cost at 1, 10 and 100 guests: one sample (reading each "qemu"'s /proc
 * files — fake qemu processes, {@code sleep}s — plus canned tap and drive counters) and one
 * scrape (the latest snapshot into text, all a Prometheus scrape waits for). Prints medians.
 * Run by {@code make bench}.
 */
public final class ScrapeBenchmark {
  private ScrapeBenchmark() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    System.out.println("guests  sample (median ms)  scrape (median ms)  scrape size (KiB)");
    for (int guests : new int[] {1, 10, 100}) {
      List<Process> fakes = new ArrayList<>();
      try {
        List<GuestView> views = new ArrayList<>();
        Map<String, TapCounters> taps = new HashMap<>();
        for (int i = 0; i < guests; i++) {
          Process fake = new ProcessBuilder("sleep", "600").start();
          fakes.add(fake);
          String tap = "kgbench" + i;
          views.add(new GuestView("uid-" + i, "bench", "vm" + i, "Running", Optional.of(fake.pid()), 2, 512L << 20, "tcg",
              List.of(new GuestView.Nic("lan", "virtio", String.format("52:54:00:00:%02x:%02x", i / 256, i % 256), Optional.of(tap)))));
          taps.put(tap, new TapCounters(1000L * i, 2000L * i, 10, 20, 0, 0, 0, 0));
        }
        List<BlockStats> drives = List.of(new BlockStats("drive-root", "#block1", 4096, 8192, 4, 8, 1_500_000L, 2_500_000L, 1));
        GuestLifecycle lifecycle = new GuestLifecycle();
        views.forEach(v -> lifecycle.started(v.uid(), Duration.ofMillis(800)));
        GuestSampler sampler = new GuestSampler(() -> views, new LinuxProcesses(), () -> taps, uid -> drives, lifecycle,
            new MetricsSnapshot.Node("bench-node", false, 16L << 30, "7.2.22", "pc"), Duration.ofSeconds(5), Clock.systemUTC());
        PrometheusEndpoint endpoint = PrometheusEndpoint.withJvmMetrics();
        endpoint.prometheusRegistry().register(new GuestMetricsCollector(sampler::latest));

        double sample = median(20, sampler::sampleOnce);
        int[] size = new int[1];
        double scrape = median(50, () -> size[0] = endpoint.scrape().length());
        System.out.printf("%6d  %18.2f  %18.2f  %17.0f%n", guests, sample, scrape, size[0] / 1024.0);
      } finally {
        for (Process fake : fakes) {
          fake.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** Median wall time of {@code rounds} runs after as many warm-up runs, in ms. */
  private static double median(int rounds, Runnable run) {
    for (int i = 0; i < rounds; i++) {
      run.run();
    }
    double[] ms = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      run.run();
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return ms[rounds / 2];
  }
}
