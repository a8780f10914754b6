package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsDhcpClient;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's topology: a LAN with its own router and DHCP server, a node whose eth0 is on it.
 * The agent in managed mode moves eth0 into br0, and a guest on br0 gets its address from the
 * LAN's DHCP server, like any machine on that LAN.
 */
class ManagedNetworkIT {
  private static final String GATEWAY = "192.168.77.1";

  @TempDir Path tmp;
  private NetnsFixture lan;
  private NetnsFixture node;
  private NodeAgent agent;

  @BeforeEach
  void seedTopology() {
    Requirements.root();
    for (String binary : List.of("ip", "dnsmasq", "busybox", "ping", "qemu-system-x86_64")) {
      Requirements.binary(binary);
    }
    GuestImages.iso();
    lan = NetnsFixture.create("alan");
    node = NetnsFixture.create("anode");
    lan.veth("lan0", node, "eth0");
    lan.exec("ip", "addr", "add", GATEWAY + "/24", "dev", "lan0");
    lan.exec("dnsmasq", "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--interface=lan0", "--except-interface=lo",
        "--dhcp-authoritative", "--no-ping", "--dhcp-range=192.168.77.100,192.168.77.200,255.255.255.0,3600",
        "--dhcp-leasefile=" + tmp.resolve("lan.leases"), "--pid-file=" + tmp.resolve("lan.pid"));
    new NetnsDhcpClient(tmp).lease(node, "eth0", 20).orElseThrow(() -> new AssertionError("scene: the node got no lease"));
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close(false);
    }
    for (NetnsFixture ns : new NetnsFixture[] {node, lan}) {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void guestOnTheManagedBridgeLeasesFromTheLan() throws IOException {
    AgentHarness h = new AgentHarness(tmp, node);
    AgentOptions options = AgentOptions.parse(List.of("--state-dir", h.stateDir.toString(), "--guests-dir", h.guestsDir.toString(),
        "--netns", node.name(), "--network", "managed", "--bridge", "br0", "--uplink", "eth0",
        "--allowed-dir", GuestImages.OUT.toString(), "--stop-grace", "10"), Map.of(), "managed-node");
    NodeAgentMain.Wired wired = NodeAgentMain.wire(options, new DirectoryGuestSource(h.guestsDir, Duration.ofMillis(200)),
        new DirectoryStatusSink(h.guestsDir.resolve("status")), SecretSource.NONE);
    agent = wired.agent();
    assertTrue(wired.bridgeStatus().ready(), wired.bridgeStatus().message());
    assertTrue(node.run(Duration.ofSeconds(5), "ip", "-o", "link", "show", "eth0").stdout().contains("master br0"), "eth0 is in br0");
    agent.start();

    h.apply("lan-guest", NodeAgentIT.isoGuest("lan-guest", "e1000").formatted("Always"));
    Matcher ready = h.awaitSerial("lan-guest",
        Pattern.compile("KVMGUEST-READY iface=eth0 driver=e1000 mac=(\\S+) ip=(192\\.168\\.77\\.[0-9]+)"), Duration.ofSeconds(180));
    String ip = ready.group(2);
    assertTrue(h.pings(ip), "the guest answers on the LAN at " + ip);
    var status = h.awaitStatus("lan-guest", s -> "Running".equals(s.phase()) && ip.equals(s.interfaces().get(0).ipAddress()),
        Duration.ofSeconds(30), "its LAN address in status (from the bridge's neighbour table)");
    assertEquals(ready.group(1), status.interfaces().get(0).macAddress());
    assertTrue(lan.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "2", ip).ok(), "the LAN's router reaches the guest");
  }
}
