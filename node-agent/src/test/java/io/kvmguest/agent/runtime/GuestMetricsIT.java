package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.metrics.AgentMetricsServer;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's /metrics over a real guest (TCG, NAT bridge in a throwaway network namespace): known
 * ICMP traffic shows in the guest's receive counter, CPU and block counters rise, boot and start
 * are timed once, promtool accepts the scrape, and deleting the guest removes its series.
 */
class GuestMetricsIT {
  private static final Duration BOOT = Duration.ofSeconds(240);
  private static final String GUEST = "metrics-guest";

  @TempDir Path tmp;
  private NetnsFixture node;
  private AgentHarness h;
  private NodeAgentMain.Wired wired;
  private AgentMetricsServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    Requirements.guestHost();
    node = NetnsFixture.create("metrics");
    h = new AgentHarness(tmp, node);
    AgentOptions options = AgentOptions.parse(List.of("--state-dir", h.stateDir.toString(), "--guests-dir", h.guestsDir.toString(),
        "--netns", node.name(), "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "5"), Map.of(), "metrics-node");
    PrometheusEndpoint registry = PrometheusEndpoint.withJvmMetrics();
    wired = NodeAgentMain.wire(options, new DirectoryGuestSource(h.guestsDir, Duration.ofMillis(200)),
        new DirectoryStatusSink(h.guestsDir.resolve("status")), SecretSource.NONE, GuestEvents.NONE, registry);
    wired.agent().start();
    wired.metrics().start();
    server = new AgentMetricsServer(0, registry, wired.agent()::isRunning).start();
  }

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (wired != null) {
      wired.metrics().close();
      wired.agent().close(false);
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aRealGuestsCountersRiseWithItsWorkAndVanishWithIt() throws Exception {
    h.apply(GUEST, NodeAgentIT.isoGuest(GUEST, "virtio").formatted("Always"));
    String ip = h.awaitStatus(GUEST, s -> "Running".equals(s.phase()) && !s.interfaces().isEmpty()
        && s.interfaces().get(0).ipAddress() != null, BOOT, "Running with an IP").interfaces().get(0).ipAddress();

    String before = freshScrape();
    String guest = "name=\"" + GUEST + "\",namespace=\"default\",node=\"metrics-node\"";
    assertEquals(1, value(before, "kvmguest_guest_up{" + guest + "}"), 0);
    assertEquals(1, value(before, "kvmguest_guest_boot_seconds_count{" + guest + "}"), 0, "boot timed once");
    assertEquals(1, value(before, "kvmguest_guest_start_seconds_count{" + guest + "}"), 0, "start timed once");
    assertEquals(1, value(before, "kvmguest_node_guests{node=\"metrics-node\",phase=\"Running\"}"), 0);
    assertEquals(256L << 20, value(before, "kvmguest_node_allocated_memory_bytes{node=\"metrics-node\"}"), 0);
    assertTrue(value(before, "kvmguest_guest_memory_resident_bytes{" + guest + "}") > 1 << 20, "qemu's RSS");
    double cpuBefore = value(before, "kvmguest_guest_cpu_seconds_total{" + guest + "}");
    double cdReadBefore = value(before, "kvmguest_guest_block_read_bytes_total{drive=\"cd\"," + guest + "}");
    assertTrue(cdReadBefore > 0, "booting read the ISO");
    String nic = "{interface=\"lan\",mac=\"" + macIn(before) + "\",model=\"virtio\"," + guest + "}";
    double rxBefore = value(before, "kvmguest_guest_network_receive_bytes_total" + nic);
    double rxPacketsBefore = value(before, "kvmguest_guest_network_receive_packets_total" + nic);
    double txPacketsBefore = value(before, "kvmguest_guest_network_transmit_packets_total" + nic);

    int count = 50;
    int payload = 1000;
    CommandResult ping = node.run(Duration.ofSeconds(60), "ping", "-n", "-q", "-c", String.valueOf(count), "-i", "0.05",
        "-s", String.valueOf(payload), ip);
    assertTrue(ping.ok(), "ping the guest: " + ping.stdout() + ping.stderr());
    long sent = (long) count * (payload + 8 + 20 + 14); // ICMP, IPv4 and Ethernet headers: the frames the tap hands the guest

    String after = freshScrape();
    double rx = value(after, "kvmguest_guest_network_receive_bytes_total" + nic) - rxBefore;
    assertTrue(rx >= sent, "the guest received " + rx + " bytes, at least the " + sent + " pinged");
    assertTrue(value(after, "kvmguest_guest_network_receive_packets_total" + nic) - rxPacketsBefore >= count);
    assertTrue(value(after, "kvmguest_guest_network_transmit_packets_total" + nic) - txPacketsBefore >= count, "its replies");
    assertTrue(value(after, "kvmguest_guest_cpu_seconds_total{" + guest + "}") > cpuBefore, "CPU time rose");
    assertTrue(value(after, "kvmguest_guest_block_read_bytes_total{drive=\"cd\"," + guest + "}") >= cdReadBefore);
    promtoolAccepts(after);
    assertEquals(0, value(after, "kvmguest_guest_restarts_total{" + guest + "}"), 0);

    // a restart request: counted as a restart, its boot timed again, its start (assignment) not
    h.apply(GUEST, NodeAgentIT.isoGuest(GUEST, "virtio").formatted("Always")
        .replace("metadata: {name: " + GUEST + "}", "metadata: {name: " + GUEST + ", annotations: {kvmguest.io/restart: r1}}"));
    long bootDeadline = System.nanoTime() + BOOT.toNanos();
    String restarted = freshScrape();
    while (value(restarted, "kvmguest_guest_boot_seconds_count{" + guest + "}") < 2 && System.nanoTime() < bootDeadline) {
      AgentHarness.sleep(500);
      restarted = freshScrape();
    }
    assertEquals(1, value(restarted, "kvmguest_guest_restarts_total{" + guest + "}"), 0);
    assertEquals(2, value(restarted, "kvmguest_guest_boot_seconds_count{" + guest + "}"), 0, "the new qemu's boot timed");
    assertEquals(1, value(restarted, "kvmguest_guest_start_seconds_count{" + guest + "}"), 0);

    h.delete(GUEST);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!wired.agent().guestViews().isEmpty() && System.nanoTime() < deadline) {
      AgentHarness.sleep(200);
    }
    String gone = freshScrape();
    assertFalse(gone.contains("name=\"" + GUEST + "\""), "no series of the deleted guest:\n" + gone);
    assertEquals(0, value(gone, "kvmguest_node_guests{node=\"metrics-node\",phase=\"Running\"}"), 0);
  }

  /** A sample now (not waiting for the next interval), then a scrape over HTTP. */
  private String freshScrape() throws Exception {
    wired.metrics().sampler().sampleOnce();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static String macIn(String text) {
    Matcher m = Pattern.compile("kvmguest_guest_network_receive_bytes_total\\{interface=\"lan\",mac=\"([^\"]+)\"").matcher(text);
    assertTrue(m.find(), "a receive counter for NIC lan in:\n" + text);
    return m.group(1);
  }

  private static double value(String text, String series) {
    return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
        .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .orElseThrow(() -> new AssertionError("no series " + series + " in:\n"
            + String.join("\n", text.lines().filter(l -> l.startsWith("kvmguest_")).toList())));
  }

  private static void promtoolAccepts(String text) throws Exception {
    Process check = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = check.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(check.waitFor(60, TimeUnit.SECONDS));
    String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, check.exitValue(), report);
    assertEquals("", report.strip());
  }
}
