package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's whole exposition (JVM figures, the guest count, guest and node families) passes
 * {@code promtool check metrics}. Fails, not skips, without promtool (Debian package prometheus).
 */
class PromtoolCheckTest {

  @Test
  void theAgentsExpositionPassesPromtoolCheckMetrics() throws Exception {
    Path promtool = promtool();
    PrometheusEndpoint endpoint = PrometheusEndpoint.withJvmMetrics();
    try (AgentMetricsServer ignored = new AgentMetricsServer(0, endpoint, () -> true)) {
      endpoint.prometheusRegistry().register(new GuestMetricsCollector(() -> Snapshots.of(
          Snapshots.sampled(Snapshots.running("u1", "vm1", 42)), Snapshots.unsampled(Snapshots.stopped("u2", "vm2")))));
      String text = endpoint.scrape();
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      try (OutputStream in = check.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      assertTrue(check.waitFor(60, TimeUnit.SECONDS), "promtool finished");
      String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals("", report.strip(), "promtool check metrics found problems in:\n" + text);
      assertEquals(0, check.exitValue(), report);
    }
  }

  static Path promtool() throws IOException {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin"))
        .map(dir -> Path.of(dir, "promtool")).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new AssertionError("promtool is not installed (Debian: apt-get install prometheus); "
            + "this check must not be skipped"));
  }
}
