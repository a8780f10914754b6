package io.kvmguest.standalone.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.standalone.StandaloneRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics as a user gets them: a real Prometheus scrapes standalone's /metrics (the agent's and the
 * operator's together) while a real guest runs under TCG, all inside a test network namespace.
 * Known traffic to the guest must show in its receive counter; the dashboard's and the alert
 * rules' expressions must find data; a deleted guest's series must go.
 */
class MetricsIT {
  private static final String METRICS = "127.0.0.1:9400";
  private static final Path CHART_FILES = Path.of("..", "helm", "kvmguest", "files").toAbsolutePath().normalize();
  private static final String GUEST = "g-metrics";
  private static final int PINGS = 200;
  private static final int PAYLOAD = 1400;

  @TempDir Path tmp;
  private NetnsFixture ns;
  private StandaloneRun standalone;
  private final List<Process> runs = new ArrayList<>();
  private PrometheusInNamespace prometheus;

  @BeforeEach
  void setUp() {
    Requirements.guestHost();
    Requirements.binary("kubectl");
    Requirements.binary("prometheus");
    Requirements.binary("promtool");
    Requirements.binary("curl");
    ns = NetnsFixture.create("prom");
    standalone = new StandaloneRun(ns, tmp.resolve("state"));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (prometheus != null) {
      prometheus.close();
    }
    for (Process run : runs) {
      run.destroy();
      if (!run.waitFor(60, TimeUnit.SECONDS)) {
        run.destroyForcibly();
      }
    }
    if (ns != null) {
      ns.close();
    }
  }

  private String guestSelector() {
    return "{namespace=\"default\",name=\"" + GUEST + "\"}";
  }

  @Test
  void prometheusSeesTheGuestsTrafficCpuAndDiskAndTheDashboardAndRulesFindData() throws IOException {
    runs.add(standalone.start(tmp.resolve("standalone.log"), "--metrics-port", METRICS.split(":")[1]));
    // Before the guest exists, so the scrapes span its boot (its first disk reads among them).
    prometheus = PrometheusInNamespace.start(ns, tmp, METRICS);
    kubectlOk("apply", "-f", Files.writeString(tmp.resolve("guest.yaml"), GuestManifests.isoGuest(GUEST, "virtio")).toString());
    kubectlOk("wait", "--for=jsonpath={.status.phase}=Running", "vg/" + GUEST, "--timeout=240s");
    String ip = await("the guest's IP").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> kubectlOk("get", "vg", GUEST, "-o", "jsonpath={.status.interfaces[0].ipAddress}").strip(), s -> !s.isEmpty());

    String rx = "kvmguest_guest_network_receive_bytes_total" + guestSelector();
    String cpu = "kvmguest_guest_cpu_seconds_total" + guestSelector();
    double rxBefore = await("a receive-bytes sample").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> prometheus.value(rx), v -> !Double.isNaN(v));
    double cpuBefore = prometheus.value(cpu);

    // Known traffic: PINGS echo requests of PAYLOAD bytes each reach the guest (each also carries headers).
    CommandResult ping = ns.run(Duration.ofSeconds(60), "ping", "-q", "-c", Integer.toString(PINGS), "-s", Integer.toString(PAYLOAD),
        "-i", "0.01", "-W", "1", ip);
    assertTrue(ping.stdout().contains(PINGS + " packets transmitted"), ping.stdout() + ping.stderr());
    double sent = (double) PINGS * PAYLOAD;
    double rxAfter = await("the guest's receive counter rises by the bytes sent").atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500)).until(() -> prometheus.value(rx), v -> v - rxBefore >= sent);
    double cpuAfter = await("the guest's CPU seconds rise").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> prometheus.value(cpu), v -> v > cpuBefore);
    double blockRead = await("the guest read from its disks").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> prometheus.value("sum(increase(kvmguest_guest_block_read_bytes_total" + guestSelector() + "[10m]))"), v -> v > 0);
    assertEquals(1.0, prometheus.value("kvmguest_guest_up" + guestSelector()));
    System.out.printf("MetricsIT: %d x %d B sent; receive bytes +%.0f, CPU seconds +%.2f, block reads in 10m %.0f B%n",
        PINGS, PAYLOAD, rxAfter - rxBefore, cpuAfter - cpuBefore, blockRead);

    // Every expression of the dashboard and every metric the alert rules use finds data.
    List<String> empty = new ArrayList<>();
    for (String expr : dashboardExpressions()) {
      String concrete = expr.replace("$__rate_interval", "1m").replace("$namespace", "default").replace("$guest", GUEST)
          .replace("$node", StandaloneRun.NODE);
      if (prometheus.query(concrete).isEmpty()) {
        empty.add(concrete);
      }
    }
    for (String metric : metricsOf(Files.readString(CHART_FILES.resolve("kvmguest-rules.yaml")))) {
      if (prometheus.query(metric).isEmpty()) {
        empty.add("(alert rules) " + metric);
      }
    }
    assertTrue(empty.isEmpty(), "expressions that find no data:\n  " + String.join("\n  ", empty));
    CommandResult rules = ns.run(Duration.ofSeconds(30), "promtool", "check", "rules", CHART_FILES.resolve("kvmguest-rules.yaml").toString());
    assertTrue(rules.ok(), rules.stdout() + rules.stderr());

    // The exposition itself passes promtool's lint.
    Path exposition = tmp.resolve("metrics.txt");
    CommandResult scrape = ns.run(Duration.ofSeconds(15), "curl", "-sf", "-o", exposition.toString(), "http://" + METRICS + "/metrics");
    assertTrue(scrape.ok(), scrape.stderr());
    CommandResult lint = ns.run(Duration.ofSeconds(30), "sh", "-c", "promtool check metrics < \"$0\"", exposition.toString());
    assertTrue(lint.ok() && lint.stdout().isBlank() && lint.stderr().isBlank(), "promtool check metrics:\n" + lint.stdout() + lint.stderr());

    // docs/metrics.md lists exactly kvmguest's families (agent and operator), and every JOSDK family exported.
    String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
    Set<String> exported = families(Files.readString(exposition));
    Set<String> documented = documentedNames(doc);
    Set<String> ours = new TreeSet<>(exported);
    ours.removeIf(n -> !n.startsWith("kvmguest_"));
    Set<String> documentedOurs = new TreeSet<>(documented);
    documentedOurs.removeIf(n -> !n.startsWith("kvmguest_"));
    assertEquals(documentedOurs, ours, "docs/metrics.md against standalone's scrape (kvmguest_ families)");
    Set<String> josdk = new TreeSet<>(exported);
    josdk.removeIf(n -> !n.startsWith("operator_sdk_") || documented.contains(n));
    assertTrue(josdk.isEmpty(), "JOSDK families docs/metrics.md does not list: " + josdk);

    // A deleted guest's series are gone from the next scrape (Prometheus marks them stale at once).
    kubectlOk("delete", "vg", GUEST, "--timeout=120s");
    await("the deleted guest's series disappear").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
        .until(() -> prometheus.query("{__name__=~\"kvmguest_guest_.*\"," + guestSelector().substring(1)).isEmpty());
  }

  private static List<String> dashboardExpressions() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(CHART_FILES.resolve("grafana-dashboard.json").toFile());
    List<String> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        out.add(target.path("expr").asText());
      }
    }
    assertFalse(out.isEmpty(), "the dashboard has no queries");
    return out;
  }

  /** The metric families of an exposition, by their HELP lines. */
  private static Set<String> families(String exposition) {
    Set<String> names = new TreeSet<>();
    exposition.lines().filter(l -> l.startsWith("# HELP ")).forEach(l -> names.add(l.split(" ")[2]));
    return names;
  }

  /** The names in the first column of the doc's tables. */
  private static Set<String> documentedNames(String doc) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `([a-z_]+)` \\|").matcher(doc);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Set<String> metricsOf(String rules) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\bexpr:.*").matcher(rules);
    while (m.find()) {
      Matcher name = Pattern.compile("kvmguest_[a-z_]+").matcher(m.group());
      while (name.find()) {
        names.add(name.group());
      }
    }
    return names;
  }

  private String kubectlOk(String... args) {
    CommandResult r = standalone.kubectl(Duration.ofSeconds(300), args);
    if (!r.ok()) {
      fail("kubectl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }
}
