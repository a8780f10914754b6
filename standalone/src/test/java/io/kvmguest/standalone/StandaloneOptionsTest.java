package io.kvmguest.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.net.Ipv4Cidr;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.api.cli.HelpRequested;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneOptionsTest {
  private static StandaloneOptions parse(String... extra) {
    List<String> args = new ArrayList<>(List.of("--state-dir", "/var/lib/kvmguest"));
    args.addAll(List.of(extra));
    return StandaloneOptions.parse(args, Map.of(), "host-1");
  }

  private static String error(String... extra) {
    return assertThrows(IllegalArgumentException.class, () -> parse(extra)).getMessage();
  }

  @Test
  void defaults() {
    StandaloneOptions o = parse();
    assertEquals(Path.of("/var/lib/kvmguest"), o.stateDir());
    assertEquals(0, o.apiPort());
    assertEquals(0, o.metricsPort());
    assertEquals("host-1", o.nodeName());
    assertEquals(NetworkMode.NAT, o.network());
    assertEquals("br0", o.bridge());
    assertEquals(Ipv4Cidr.parse("10.88.0.0/24"), o.subnet());
    assertEquals(List.of(), o.allowedDirs());
    assertFalse(o.keepGuests());
    assertFalse(o.noAgent());
    assertFalse(o.noOperator());
    assertEquals(Path.of("/var/lib/kvmguest/kubeconfig"), o.kubeconfig());
  }

  @Test
  void everyFlag() {
    StandaloneOptions o = parse("--api-port", "6443", "--metrics-port", "-1", "--node-name", "box", "--network", "existing",
        "--bridge", "virbr0", "--subnet", "10.77.0.0/24", "--allowed-dir", "/srv/iso", "--allowed-dir", "/srv/img", "--keep-guests",
        "--no-agent", "--no-operator");
    assertEquals(new StandaloneOptions(Path.of("/var/lib/kvmguest"), 6443, -1, "box", NetworkMode.EXISTING, "virbr0",
        Ipv4Cidr.parse("10.77.0.0/24"), List.of(Path.of("/srv/iso"), Path.of("/srv/img")), true, true, true), o);
  }

  @Test
  void theAgentsOptionsAreBuiltDirectly() {
    StandaloneOptions o = parse("--node-name", "box", "--network", "managed", "--bridge", "br9", "--subnet", "10.66.0.0/24",
        "--allowed-dir", "/srv/iso", "--keep-guests");
    AgentOptions agent = o.agentOptions();
    assertEquals(Path.of("/var/lib/kvmguest/node"), agent.stateDir());
    assertEquals("box", agent.nodeName());
    assertEquals(NetworkMode.MANAGED, agent.networkMode());
    assertEquals("br9", agent.bridge());
    assertEquals(Ipv4Cidr.parse("10.66.0.0/24"), agent.subnet());
    assertEquals(List.of(Path.of("/srv/iso")), agent.allowedDirs());
    assertTrue(agent.keepGuests());
    assertEquals(-1, agent.metricsPort(), "standalone serves its own metrics, not the agent's");
    // Everything else is the agent's default, as the agent's own parser gives it.
    AgentOptions parsed = AgentOptions.parse(List.of("--state-dir", "/var/lib/kvmguest/node", "--node-name", "box", "--network",
        "managed", "--bridge", "br9", "--subnet", "10.66.0.0/24", "--allowed-dir", "/srv/iso", "--keep-guests"), Map.of(), "other");
    assertEquals(parsed, agent);
  }

  @Test
  void badValuesNameTheFlagAndWhatIsAllowed() {
    assertEquals("--api-port must be a port number from 0 to 65535, got \"-1\"", error("--api-port", "-1"));
    assertEquals("--metrics-port must be a port number from -1 to 65535, got \"http\"", error("--metrics-port", "http"));
    assertEquals("--network must be one of existing, managed, nat, got \"bridged\"", error("--network", "bridged"));
    assertTrue(error("--subnet", "nope").startsWith("--subnet: "));
  }

  @Test
  void badCommandLines() {
    assertEquals("unknown option --bogus", error("--bogus"));
    assertEquals("--bridge needs a value", error("--bridge"));
    assertEquals("--state-dir is required",
        assertThrows(IllegalArgumentException.class, () -> StandaloneOptions.parse(List.of(), Map.of(), "h")).getMessage());
  }

  @Test
  void help() {
    HelpRequested help = assertThrows(HelpRequested.class, () -> StandaloneOptions.parse(List.of("--help"), Map.of(), "h"));
    assertTrue(help.usage().startsWith("Usage: java -jar kvmguest-standalone.jar"), help.usage());
    for (String flag : List.of("--state-dir", "--api-port", "--metrics-port", "--no-agent", "--no-operator", "--keep-guests")) {
      assertTrue(help.usage().contains(flag), flag + " in\n" + help.usage());
    }
    assertEquals(help.usage(), StandaloneOptions.usage());
  }
}
