package io.kvmguest.standalone.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's package) inside a test's network namespace, on its loopback: it
 * scrapes one target every second and answers instant queries over its HTTP API.
 */
final class PrometheusInNamespace implements AutoCloseable {
  static final String LISTEN = "127.0.0.1:9090";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final NetnsFixture ns;
  private final Process process;
  private final Path log;

  private PrometheusInNamespace(NetnsFixture ns, Process process, Path log) {
    this.ns = ns;
    this.process = process;
    this.log = log;
  }

  /** Starts Prometheus scraping {@code target} (host:port, /metrics) and waits until it is ready. */
  static PrometheusInNamespace start(NetnsFixture ns, Path dir, String target) throws IOException {
    Path config = Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: kvmguest
            static_configs:
              - targets: ['%s']
        """.formatted(target));
    Path log = dir.resolve("prometheus.log");
    List<String> argv = List.of("ip", "netns", "exec", ns.name(), "prometheus", "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=" + LISTEN);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusInNamespace prometheus = new PrometheusInNamespace(ns, p, log);
    await("prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
      if (!p.isAlive()) {
        fail("prometheus exited " + p.exitValue() + ":\n" + Files.readString(log));
      }
      return ns.run(Duration.ofSeconds(5), "curl", "-sf", "http://" + LISTEN + "/-/ready").ok();
    });
    return prometheus;
  }

  /** The result vector of an instant query (empty when the expression selects nothing). */
  JsonNode query(String promql) {
    CommandResult r = ns.run(Duration.ofSeconds(15), "curl", "-sf", "http://" + LISTEN + "/api/v1/query",
        "--data-urlencode", "query=" + promql);
    if (!r.ok()) {
      fail("query " + promql + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
    }
    try {
      JsonNode answer = JSON.readTree(r.stdout());
      if (!"success".equals(answer.path("status").asText())) {
        fail("query " + promql + ": " + r.stdout());
      }
      return answer.path("data").path("result");
    } catch (IOException e) {
      throw new AssertionError("unreadable answer to " + promql + ": " + r.stdout(), e);
    }
  }

  /** The value of a query that selects exactly one series, or NaN while it selects none. */
  double value(String promql) {
    JsonNode result = query(promql);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    if (result.size() != 1) {
      fail(promql + " selects " + result.size() + " series, expected one: " + result);
    }
    return Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
