package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.testing.NetnsDhcpClient;
import io.kvmguest.agent.testing.NetnsFixture;
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

/** NAT mode for real, in the throwaway namespaces of {@link NatNamespaces}. */
class NatBridgeIT {
  @TempDir Path state;
  private NatNamespaces ns;
  private NetnsFixture node;
  private NetnsFixture guest;

  @BeforeEach
  void namespaces() {
    ns = NatNamespaces.create("nat");
    node = ns.node;
    guest = ns.guest;
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) {
      ns.close();
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
    String guestMac = ns.plugGuest(net, "br0");

    Optional<String> leased = new NetnsDhcpClient(state).lease(guest, "eth0", 20);

    assertTrue(leased.isPresent(), "the guest got no DHCP lease from dnsmasq on br0");
    assertTrue(config.natSubnet().contains(leased.get()), leased.get());
    assertEquals(leased, GuestAddresses.forConfig(net, config, Clock.systemUTC()).ipv4Of(guestMac));
    assertTrue(new LinuxReachability(guest.runner()).reachable("10.88.0.1", Duration.ofSeconds(10)),
        "guest cannot ping its gateway");
    assertTrue(new LinuxReachability(guest.runner()).reachable(NatNamespaces.WAN_HOST, Duration.ofSeconds(10)),
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
