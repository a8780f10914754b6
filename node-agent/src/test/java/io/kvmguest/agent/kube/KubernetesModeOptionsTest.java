package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.AgentOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The command line of the agent in Kubernetes mode (no --guests-dir). */
class KubernetesModeOptionsTest {

  private static AgentOptions parse(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--state-dir", "/var/lib/kvmguest"));
    args.addAll(List.of(extra));
    return AgentOptions.parse(args, Map.of(), "host-1");
  }

  @Test
  void defaults() {
    AgentOptions options = parse();

    assertEquals(Optional.empty(), options.guestsDir(), "no --guests-dir: Kubernetes mode");
    assertEquals("host-1", options.nodeName());
    assertEquals(Optional.empty(), options.kubeconfig());
    assertEquals(Optional.empty(), options.namespace());
    assertEquals(512L << 20, options.reserveMemoryBytes());
    assertEquals(Duration.ofSeconds(10), options.heartbeat());
  }

  @Test
  void kubernetesFlags() {
    AgentOptions options = parse("--node-name", "worker-3", "--kubeconfig", "/etc/kube/agent.conf", "--namespace", "vms",
        "--reserve-memory", "2Gi", "--heartbeat-seconds", "3");

    assertEquals("worker-3", options.nodeName());
    assertEquals(Optional.of(Path.of("/etc/kube/agent.conf")), options.kubeconfig());
    assertEquals(Optional.of("vms"), options.namespace());
    assertEquals(2L << 30, options.reserveMemoryBytes());
    assertEquals(Duration.ofSeconds(3), options.heartbeat());
    assertEquals(1_500_000_000L, parse("--reserve-memory", "1.5G").reserveMemoryBytes());
  }

  @Test
  void badValuesSayWhatIsAccepted() {
    var memory = assertThrows(IllegalArgumentException.class, () -> parse("--reserve-memory", "lots"));
    assertTrue(memory.getMessage().contains("--reserve-memory must be a Kubernetes quantity"), memory.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--reserve-memory", "-1Gi"));
    var heartbeat = assertThrows(IllegalArgumentException.class, () -> parse("--heartbeat-seconds", "0"));
    assertEquals("--heartbeat-seconds must be whole seconds from 1 to 3600, got \"0\"", heartbeat.getMessage());
    var grace = assertThrows(IllegalArgumentException.class, () -> parse("--stop-grace", "x"));
    assertEquals("--stop-grace must be whole seconds from 0 to 3600, got \"x\"", grace.getMessage());
  }

  @Test
  void nodeNameComesFromTheDownwardApiEnvironmentBeforeTheHostName() {
    List<String> args = List.of("--state-dir", "/var/lib/kvmguest");
    assertEquals("worker-3", AgentOptions.parse(args, Map.of("NODE_NAME", "worker-3"), "pod-host").nodeName());
    assertEquals("pod-host", AgentOptions.parse(args, Map.of(), "pod-host").nodeName());
    assertEquals("pod-host", AgentOptions.parse(args, Map.of("NODE_NAME", "  "), "pod-host").nodeName());
    assertEquals("flag-node", AgentOptions.parse(List.of("--state-dir", "/s", "--node-name", "flag-node"), Map.of("NODE_NAME", "worker-3"),
        "pod-host").nodeName(), "--node-name wins over $NODE_NAME");
  }
}
