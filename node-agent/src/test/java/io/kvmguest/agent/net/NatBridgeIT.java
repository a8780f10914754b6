package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.testing.NetnsDhcpClient;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NAT mode for real, in three throwaway namespaces: the node (running the agent's commands), a
 * guest whose NIC is a veth on the node's bridge (as a tap would be), and a "WAN" host behind the
 * node's uplink that has no route back to the guest subnet, so its replies only arrive masqueraded.
 */
class NatBridgeIT {
  @TempDir Path state;
  private NetnsFixture node;
  private NetnsFixture guest;
  private NetnsFixture wan;

  @BeforeEach
  void namespaces() {
    Requirements.root();
    for (String binary : List.of("ip", "dnsmasq", "iptables", "sysctl", "busybox", "ping")) {
      Requirements.binary(binary);
    }
    node = NetnsFixture.create("natnode");
    guest = NetnsFixture.create("natguest");
    wan = NetnsFixture.create("natwan");
    node.veth("eth0", wan, "wan0");
    node.exec("ip", "addr", "add", "192.0.2.10/24", "dev", "eth0");
    wan.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "wan0");
  }

  @AfterEach
  void cleanUp() {
    for (NetnsFixture ns : new NetnsFixture[] {guest, wan, node}) {
      if (ns != null) {
        ns.close();
      }
    }
  }

  @Test
  void guestGetsALeaseIsFoundAndReachesOutThroughMasquerade() throws Exception {
    LinuxHostNetwork net = new LinuxHostNetwork(node.runner());
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, state);
    LinuxDhcpServer dhcp = new LinuxDhcpServer(node.runner());
    NatBridge nat = new NatBridge(net, new LinuxNatFirewall(node.runner()), dhcp, config);

    BridgeStatus status = nat.ensure();

    assertTrue(status.ready(), status.message());
    Link br0 = net.link("br0").orElseThrow();
    assertTrue(br0.isBridge() && br0.up());
    assertEquals(List.of(Ipv4Cidr.parse("10.88.0.1/24")), br0.addresses());
    assertEquals(NatBridge.bridgeMac("br0"), br0.mac());
    assertEquals("1", node.exec("sysctl", "-n", "net.ipv4.ip_forward").stdout().strip());
    assertTrue(node.exec("iptables", "-t", "nat", "-S", "POSTROUTING").stdout().contains("MASQUERADE"));
    long pid = dhcp.running(DhcpSettings.of(config)).orElseThrow();
    assertTrue(node.pids().contains(pid), "dnsmasq runs inside the node namespace");

    // The guest's NIC: a veth end on br0, standing in for a tap.
    node.veth("kvgveth0", guest, "eth0");
    net.setMaster("kvgveth0", "br0");
    String guestMac = new LinuxHostNetwork(guest.runner()).link("eth0").orElseThrow().mac();

    Optional<String> leased = new NetnsDhcpClient(state).lease(guest, "eth0", 20);

    assertTrue(leased.isPresent(), "the guest got no DHCP lease from dnsmasq on br0");
    assertTrue(config.natSubnet().contains(leased.get()), leased.get());
    assertEquals(leased, GuestAddresses.forConfig(net, config, Clock.systemUTC()).ipv4Of(guestMac));
    assertTrue(new LinuxReachability(guest.runner()).reachable("10.88.0.1", Duration.ofSeconds(10)),
        "guest cannot ping its gateway");
    assertTrue(new LinuxReachability(guest.runner()).reachable("192.0.2.1", Duration.ofSeconds(10)),
        "guest cannot reach the WAN host, which has no route back: masquerading does not work");

    BridgeStatus again = nat.ensure();
    assertTrue(again.ready());
    assertEquals(List.of(), again.changes(), "second run must change nothing");
    assertEquals(Optional.of(pid), dhcp.running(DhcpSettings.of(config)), "same dnsmasq adopted, not restarted");

    nat.teardown();

    assertTrue(net.link("br0").isEmpty());
    assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "dnsmasq still running");
    assertFalse(Files.exists(config.pidFile()));
    assertFalse(node.exec("iptables", "-t", "nat", "-S").stdout().contains("kvmguest"));
    assertFalse(node.exec("iptables", "-S").stdout().contains("kvmguest"));
    assertEquals(List.of(), node.pids(), "nothing left running in the node namespace");
    assertTrue(net.link("kvgveth0").orElseThrow().master().isEmpty(), "the guest's port is released");
  }
}
