package io.kvmguest.operator.metrics;

import static io.kvmguest.operator.testing.Guests.guest;
import static io.kvmguest.operator.testing.TestCluster.GI;
import static io.kvmguest.operator.testing.TestCluster.NS;
import static io.kvmguest.operator.testing.TestCluster.conditionIs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.Poll;
import io.kvmguest.operator.testing.TestCluster;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's /metrics exposition after reconciling valid, invalid and placed guests on the
 * mock API: names, labels, HELP, 0-count series, JOSDK's reconcile metrics, promtool's lint, and
 * that a scrape reads the informer cache (it still answers with the API server stopped).
 */
class OperatorMetricsTest {
  KubernetesMockServer server;
  KubernetesClient client;
  TestCluster cluster;
  FakeNodes nodes;
  PrometheusEndpoint endpoint;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init();
    client = server.createClient();
    cluster = new TestCluster(client);
    nodes = new FakeNodes(client, Duration.ofSeconds(1));
    endpoint = OperatorMetrics.endpoint();
  }

  @AfterEach
  void stop() {
    nodes.close();
    cluster.close();
    client.close();
    server.destroy();
  }

  @Test
  void exportsGuestsByPhasePlacementValidationFailuresDispatchesAndJosdkMetrics() throws Exception {
    nodes.publish("node-a", 8 * GI, 4, false);
    cluster.startOperator(TestCluster.testOptions(), new Random(1), endpoint.registry());
    cluster.create(guest(NS, "placed-1", "256Mi", 1, Guests.nic("eth0")));
    cluster.create(guest(NS, "placed-2", "256Mi", 1));
    cluster.create(guest(NS, "bad", "512Mi", 1, Guests.nic("eth0", "virtio-net", null)));
    cluster.create(guest(NS, "too-big", "64Gi", 1));
    cluster.await("placed-1", "Scheduled=True", g -> conditionIs(g, "Scheduled", "True"));
    cluster.await("placed-2", "Scheduled=True", g -> conditionIs(g, "Scheduled", "True"));
    cluster.await("bad", "Valid=False", g -> conditionIs(g, "Valid", "False"));
    cluster.await("too-big", "Scheduled=False", g -> conditionIs(g, "Scheduled", "False"));

    String text = Poll.until(TestCluster.WAIT, "the cache to show 2 Scheduled and 2 Pending guests", endpoint::scrape,
        t -> value(t, "kvmguest_operator_guests{phase=\"Scheduled\"}") == 2 && value(t, "kvmguest_operator_guests{phase=\"Pending\"}") == 2);
    Files.writeString(Path.of("target", "operator-metrics.txt"), text);

    for (Enums.Phase phase : Enums.Phase.values()) {
      double expected = switch (phase) {
        case Scheduled, Pending -> 2;
        default -> 0;
      };
      assertEquals(expected, value(text, "kvmguest_operator_guests{phase=\"" + phase.name() + "\"}"), phase.name() + " in\n" + text);
    }
    assertEquals(1, value(text, "kvmguest_operator_validation_failures_total{reason=\"InvalidSpec\"}"), text);
    assertEquals(0, value(text, "kvmguest_operator_validation_failures_total{reason=\"MacConflict\"}"), text);
    assertEquals(0, value(text, "kvmguest_operator_validation_failures_total{reason=\"SecretNotFound\"}"), text);
    assertEquals(2, value(text, "kvmguest_operator_dispatches_total{node=\"node-a\"}"), text);
    assertEquals(2, value(text, "kvmguest_operator_placement_seconds_count"), text);
    assertEquals(2, value(text, "kvmguest_operator_placement_seconds_bucket{le=\"+Inf\"}"), text);
    assertTrue(value(text, "kvmguest_operator_placement_seconds_sum") > 0, text);

    for (String name : List.of("kvmguest_operator_guests", "kvmguest_operator_validation_failures_total", "kvmguest_operator_dispatches_total",
        "kvmguest_operator_placement_seconds")) {
      assertTrue(Pattern.compile("(?m)^# HELP " + Pattern.quote(name) + " \\S").matcher(text).find(), "HELP for " + name + " in\n" + text);
    }
    assertTrue(text.contains("# TYPE kvmguest_operator_guests gauge"), text);
    assertTrue(text.contains("# TYPE kvmguest_operator_placement_seconds histogram"), text);
    assertTrue(text.contains("# TYPE kvmguest_operator_validation_failures_total counter")
        || text.contains("# TYPE kvmguest_operator_validation_failures counter"), text);

    // JOSDK's own (micrometer-support), without per-guest series.
    assertTrue(value(text, "operator_sdk_reconciliations_started_total{group=\"kvmguest.io\"") >= 4, text);
    assertTrue(value(text, "operator_sdk_controllers_execution_reconcile_seconds_count{controller=\"virtualguest\"") >= 4, text);
    assertTrue(Pattern.compile("(?m)^# HELP operator_sdk_reconciliations_started_total java-operator-sdk: \\S").matcher(text).find(), text);
    assertTrue(text.lines().filter(l -> l.startsWith("operator_sdk_")).noneMatch(l -> l.contains("placed-1")), "no per-guest JOSDK series:\n" + text);

    assertPromtoolFindsNoProblems(text);

    // Informer cache, not a LIST per scrape: with the API server gone, a scrape still counts every guest.
    nodes.close();
    server.destroy();
    String offline = endpoint.scrape();
    assertEquals(2, value(offline, "kvmguest_operator_guests{phase=\"Scheduled\"}"), offline);
    assertEquals(2, value(offline, "kvmguest_operator_guests{phase=\"Pending\"}"), offline);
  }

  /** The sample value of the series {@code series} (name and labels exactly as exposed), or NaN. */
  static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:,[^}]*\\})?\\s+(\\S+)").matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  static void assertPromtoolFindsNoProblems(String exposition) throws IOException, InterruptedException {
    File promtool = onPath("promtool");
    assertTrue(promtool != null, "promtool is not on PATH: install Debian's prometheus package (apt-get install prometheus) to run this test");
    Process p = new ProcessBuilder(promtool.getPath(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool check metrics timed out");
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    assertEquals("", out.strip(), "promtool check metrics:\n" + out);
  }

  private static File onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(dir, program);
      if (f.canExecute()) {
        return f;
      }
    }
    return null;
  }
}
