package io.kvmguest.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One TCP throughput run of the host's iperf3 client, inside a network namespace, against the
 * iperf3 server every test guest starts at boot (port 5201).
 */
final class Iperf3 {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** TCP slow start and the guest's first-packet stalls under TCG are left out of the figure. */
  private static final int OMIT_SECONDS = 1;

  enum Direction {
    HOST_TO_GUEST("host → guest"),
    GUEST_TO_HOST("guest → host");

    final String label;

    Direction(String label) {
      this.label = label;
    }
  }

  private Iperf3() {}

  /**
   * Mbit/s the receiving end counted over {@code seconds} (after the omitted first second);
   * {@link Direction#GUEST_TO_HOST} uses iperf3's reverse mode, so the guest sends.
   */
  static double mbps(NetnsFixture ns, String guestIp, int seconds, Direction direction) {
    String failure = "";
    // A guest that has just bound its lease may still refuse the first connection.
    for (int attempt = 0; attempt < 5; attempt++) {
      CommandResult r = ns.run(Duration.ofSeconds(seconds + OMIT_SECONDS + 20), argv(guestIp, seconds, direction));
      JsonNode report = parse(r.stdout());
      if (r.ok() && !report.has("error")) {
        return receivedMbps(report);
      }
      failure = "exit " + r.exitCode() + ": " + report.path("error").asText(r.stderr().strip());
      AgentHarness.sleep(2000);
    }
    throw new IllegalStateException("iperf3 to " + guestIp + " in " + ns.name() + " (" + direction.label + ") failed: " + failure);
  }

  private static String[] argv(String guestIp, int seconds, Direction direction) {
    List<String> argv = new ArrayList<>(List.of("iperf3", "--client", guestIp, "--time", String.valueOf(seconds),
        "--omit", String.valueOf(OMIT_SECONDS), "--json"));
    if (direction == Direction.GUEST_TO_HOST) {
      argv.add("--reverse");
    }
    return argv.toArray(String[]::new);
  }

  static double receivedMbps(JsonNode report) {
    JsonNode received = report.path("end").path("sum_received").path("bits_per_second");
    if (!received.isNumber()) {
      throw new IllegalStateException("iperf3 reported no received throughput: " + report);
    }
    return received.asDouble() / 1e6;
  }

  /** iperf3's --json report; an empty object when it printed none. */
  static JsonNode parse(String stdout) {
    try {
      return stdout.isBlank() ? JSON.createObjectNode() : JSON.readTree(stdout);
    } catch (IOException e) {
      return JSON.createObjectNode().put("error", "not JSON: " + stdout);
    }
  }
}
