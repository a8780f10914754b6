package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.testing.NetnsDhcpClient;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed mode with the seed's topology, in throwaway namespaces: a "LAN" with a router running
 * dnsmasq, wired by a veth to the node's eth0, which took its address and default route by DHCP.
 */
class ManagedBridgeIT {
  private static final String GATEWAY = "192.168.77.1";

  @TempDir Path dir;
  private NetnsFixture lan;
  private NetnsFixture node;
  private NetnsFixture guest;
  private LinuxHostNetwork net;
  private String eth0Address;

  @BeforeEach
  void seedTopology() {
    Requirements.root();
    for (String binary : List.of("ip", "dnsmasq", "busybox", "ping")) {
      Requirements.binary(binary);
    }
    lan = NetnsFixture.create("mgdlan");
    node = NetnsFixture.create("mgdnode");
    lan.veth("lan0", node, "eth0");
    lan.exec("ip", "addr", "add", GATEWAY + "/24", "dev", "lan0");
    lan.exec("dnsmasq", "--conf-file=/dev/null", "--port=0", "--bind-interfaces", "--interface=lan0",
        "--except-interface=lo", "--dhcp-authoritative", "--dhcp-range=192.168.77.100,192.168.77.200,255.255.255.0,3600",
        "--dhcp-leasefile=" + dir.resolve("lan.leases"), "--pid-file=" + dir.resolve("lan.pid"));
    eth0Address = new NetnsDhcpClient(dir).lease(node, "eth0", 20).orElseThrow(() -> new AssertionError("scene: no lease"));
    net = new LinuxHostNetwork(node.runner());
    assertEquals(Optional.of(Route.defaultVia(GATEWAY, "eth0")), net.defaultRoute(), "scene: eth0 has the default route");
  }

  @AfterEach
  void cleanUp() {
    for (NetnsFixture ns : new NetnsFixture[] {guest, node, lan}) {
      if (ns != null) {
        ns.close(); // stops the LAN's dnsmasq by pid too
      }
    }
  }

  @Test
  void movesEth0IntoBr0AndTheLanStaysReachable() {
    String eth0Mac = net.link("eth0").orElseThrow().mac();
    ManagedBridge managed = managed(Duration.ofSeconds(10));

    BridgeStatus status = managed.ensure();

    assertTrue(status.ready(), status.message());
    Link br0 = net.link("br0").orElseThrow();
    Link eth0 = net.link("eth0").orElseThrow();
    assertEquals(List.of(Ipv4Cidr.parse(eth0Address + "/24")), br0.addresses());
    assertEquals(eth0Mac, br0.mac());
    assertEquals(Optional.of("br0"), eth0.master());
    assertEquals(List.of(), eth0.addresses());
    assertEquals(Optional.of(Route.defaultVia(GATEWAY, "br0")), net.defaultRoute());
    assertTrue(new LinuxReachability(node.runner()).reachable(GATEWAY, Duration.ofSeconds(5)));

    BridgeStatus again = managed.ensure();
    assertTrue(again.ready(), again.message());
    assertEquals(List.of(), again.changes(), "second run must change nothing");

    // A guest NIC on br0 is on the LAN: the LAN's DHCP server answers it and its router is reachable.
    guest = NetnsFixture.create("mgdguest");
    node.veth("kvgveth0", guest, "eth0");
    net.setMaster("kvgveth0", "br0");
    Optional<String> leased = new NetnsDhcpClient(dir).lease(guest, "eth0", 20);
    assertTrue(leased.isPresent(), "a NIC on br0 got no lease from the LAN");
    assertTrue(new LinuxReachability(guest.runner()).reachable(GATEWAY, Duration.ofSeconds(10)));
    assertEquals(eth0Mac, net.link("br0").orElseThrow().mac(), "bridge MAC pinned while ports join");
  }

  @Test
  void brokenUplinkRollsBackAndEth0IsAsBefore() {
    lan.exec("ip", "link", "set", "lan0", "down"); // the cable is pulled at the router's end
    NetworkState before = NetworkState.read(net, List.of("br0", "eth0"));
    List<Route> routesBefore = net.routes("eth0");

    BridgeStatus status = managed(Duration.ofSeconds(3)).ensure();

    assertFalse(status.ready());
    assertEquals(BridgeStatus.GATEWAY_UNREACHABLE, status.reason(), status.message());
    assertTrue(status.changes().contains("attach eth0 to br0") && status.changes().contains("rollback: delete br0"),
        "the move was made, then undone: " + status.changes());
    assertTrue(net.link("br0").isEmpty(), "br0 was created by the attempt and must be gone");
    Link eth0 = net.link("eth0").orElseThrow();
    assertEquals(Optional.empty(), eth0.master());
    assertEquals(List.of(Ipv4Cidr.parse(eth0Address + "/24")), eth0.addresses());
    assertEquals(routesBefore, net.routes("eth0"));
    assertEquals(Optional.of(Route.defaultVia(GATEWAY, "eth0")), net.defaultRoute());
    assertTrue(NetworkState.read(net, List.of("br0", "eth0")).matches(before));

    lan.exec("ip", "link", "set", "lan0", "up");
    assertTrue(new LinuxReachability(node.runner()).reachable(GATEWAY, Duration.ofSeconds(10)),
        "after the rollback eth0 works again once the cable is back");
  }

  private ManagedBridge managed(Duration gatewayTimeout) {
    return new ManagedBridge(net, new LinuxReachability(node.runner()), "br0", "eth0", gatewayTimeout);
  }
}
