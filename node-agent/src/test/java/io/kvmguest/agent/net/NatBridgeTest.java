package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.net.NetworkRepair.Part;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class NatBridgeTest {
  private final FakeHostNetwork net = new FakeHostNetwork()
      .nic("eth0", "52:54:00:aa:bb:cc", "192.168.1.10/24")
      .route(Route.defaultVia("192.168.1.1", "eth0"));
  private final FakeNatFirewall firewall = new FakeNatFirewall();
  private final FakeDhcpServer dhcp = new FakeDhcpServer();
  private final NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, Path.of("/var/lib/kvmguest"));
  private final NatBridge nat = new NatBridge(net, firewall, dhcp, config);

  @Test
  void createsBridgeWithGatewayAddressDhcpAndMasquerade() {
    BridgeStatus status = nat.ensure();

    assertTrue(status.ready(), status.message());
    Link br0 = net.link("br0").orElseThrow();
    assertTrue(br0.isBridge() && br0.up());
    assertEquals(List.of(Ipv4Cidr.parse("10.88.0.1/24")), br0.addresses());
    assertEquals(NatBridge.bridgeMac("br0"), br0.mac());
    assertTrue(firewall.forwardingEnabled());
    assertEquals(Set.of("br0 10.88.0.0/24"), firewall.masquerades());
    DhcpSettings dhcpSettings = dhcp.runningSettings().get(0);
    assertEquals("10.88.0.2", dhcpSettings.rangeStart());
    assertEquals("10.88.0.254", dhcpSettings.rangeEnd());
    assertEquals(Path.of("/var/lib/kvmguest/dnsmasq-br0.leases"), dhcpSettings.leaseFile());
    assertTrue(status.message().contains("10.88.0.1/24"), status.message());
  }

  @Test
  void leavesTheUplinkAlone() {
    Link eth0 = net.link("eth0").orElseThrow();

    nat.ensure();

    assertEquals(eth0, net.link("eth0").orElseThrow());
    assertEquals(Optional.of(Route.defaultVia("192.168.1.1", "eth0")), net.defaultRoute());
  }

  @Test
  void secondRunChangesNothing() {
    nat.ensure();
    List<String> commands = net.commands();
    List<String> firewallChanges = firewall.changes();

    BridgeStatus again = nat.ensure();

    assertTrue(again.ready());
    assertEquals(List.of(), again.changes());
    assertEquals(commands, net.commands());
    assertEquals(firewallChanges, firewall.changes());
    assertEquals(1, dhcp.starts());
  }

  @Test
  void repairsOnlyWhatBroke() {
    nat.ensure();
    dhcp.crash(DhcpSettings.of(config));
    firewall.flush();
    int commands = net.commands().size();

    BridgeStatus again = nat.ensure();

    assertTrue(again.ready());
    assertEquals(2, dhcp.starts());
    assertEquals(Set.of("br0 10.88.0.0/24"), firewall.masquerades());
    assertEquals(commands, net.commands().size(), "the bridge was fine");
    assertEquals(2, again.changes().size(), again.changes().toString());
  }

  @Test
  void dhcpServerOfAVanishedBridgeIsRestarted() {
    nat.ensure();
    net.deleteLink("br0"); // someone deleted it; dnsmasq still runs, bound to nothing

    BridgeStatus again = nat.ensure();

    assertTrue(again.ready());
    assertTrue(net.link("br0").isPresent());
    assertEquals(2, dhcp.starts());
    assertEquals(1, dhcp.runningSettings().size());
  }

  @Test
  void teardownLeavesNothing() {
    nat.ensure();
    new TapDevices(net).plug("kvg00000001", "br0");

    nat.teardown();

    assertTrue(net.link("br0").isEmpty());
    assertEquals(Set.of(), firewall.masquerades());
    assertEquals(List.of(), dhcp.runningSettings());
    assertEquals(Optional.empty(), net.link("kvg00000001").orElseThrow().master(), "tap released, still there");
  }

  @Test
  void nameTakenByANonBridgeIsReported() {
    BridgeStatus status = new NatBridge(net, firewall, dhcp, config.withUplink("eth1").withBridge("eth0")).ensure();

    assertFalse(status.ready());
    assertEquals(BridgeStatus.NOT_A_BRIDGE, status.reason());
    assertTrue(status.message().contains("eth0"));
    assertEquals(List.of(), net.commands());
  }

  @Test
  void failureIsReportedWithWhatWasDone() {
    firewall.failInstall();

    BridgeStatus status = nat.ensure();

    assertEquals(BridgeStatus.APPLY_FAILED, status.reason());
    assertTrue(status.message().contains("injected failure"), status.message());
    assertTrue(status.changes().contains("create bridge br0"), status.changes().toString());
    assertEquals(List.of(), dhcp.runningSettings(), "stopped at the failing step");
  }

  @Test
  void bridgeMacIsStableLocallyAdministeredUnicast() {
    String mac = NatBridge.bridgeMac("br0");
    assertEquals(mac, NatBridge.bridgeMac("br0"));
    assertTrue(mac.matches("02(:[0-9a-f]{2}){5}"), mac);
    assertFalse(mac.equals(NatBridge.bridgeMac("br1")));
  }

  /** repair(): each part that can go missing after ensure() comes back, and only that part. */
  @Nested
  class Repair {
    private static final Ipv4Cidr GATEWAY = Ipv4Cidr.parse("10.88.0.1/24");

    private final DhcpSettings settings = DhcpSettings.of(config);

    @BeforeEach
    void setUp() {
      assertTrue(nat.ensure().ready());
    }

    @Test
    void healthyNetworkNeedsNothing() {
      List<String> commands = net.commands();

      NetworkRepair repair = nat.repair();

      assertTrue(repair.healthy(), repair.summary());
      assertEquals(commands, net.commands(), "a check only reads");
      assertEquals(1, dhcp.starts());
    }

    @Test
    void deadDhcpServerIsStartedAgainAndNothingElse() {
      dhcp.crash(settings);
      List<String> commands = net.commands();
      List<String> firewallChanges = firewall.changes();

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.DHCP_SERVER), repair.parts(), repair.summary());
      assertTrue(repair.repaired().get(0).what().startsWith("start DHCP server on br0 (pid "), repair.summary());
      assertEquals(Optional.empty(), repair.failure());
      assertEquals(2, dhcp.starts());
      assertEquals(commands, net.commands());
      assertEquals(firewallChanges, firewall.changes());
    }

    @Test
    void flushedMasqueradeIsInstalledAgain() {
      firewall.flush();

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.MASQUERADE), repair.parts(), repair.summary());
      assertEquals(Set.of("br0 10.88.0.0/24"), firewall.masquerades());
      assertEquals(1, dhcp.starts(), "dnsmasq kept");
    }

    @Test
    void forwardingSwitchedOffIsSwitchedOn() {
      firewall.disableForwarding();

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.FORWARDING), repair.parts(), repair.summary());
      assertTrue(firewall.forwardingEnabled());
    }

    @Test
    void bridgeSetDownIsSetUp() {
      net.setUp("br0", false);

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.BRIDGE), repair.parts(), repair.summary());
      assertEquals("set br0 up", repair.repaired().get(0).what());
      assertTrue(net.link("br0").orElseThrow().up());
    }

    @Test
    void removedGatewayAddressIsAddedAgain() {
      net.deleteAddress("br0", GATEWAY);

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.BRIDGE_ADDRESS), repair.parts(), repair.summary());
      assertEquals(List.of(GATEWAY), net.link("br0").orElseThrow().addresses());
    }

    @Test
    void deletedBridgeComesBackWithItsGuestTapsAndAFreshDhcpServer() {
      new TapDevices(net).plug("kvg0000000a", "br0");
      net.deleteLink("br0"); // the taps are released; dnsmasq still runs, bound to nothing

      NetworkRepair repair = nat.repair();

      assertEquals(Optional.empty(), repair.failure());
      Link br0 = net.link("br0").orElseThrow();
      assertTrue(br0.isBridge() && br0.up());
      assertEquals(List.of(GATEWAY), br0.addresses());
      assertEquals(NatBridge.bridgeMac("br0"), br0.mac());
      assertEquals(Optional.of("br0"), net.link("kvg0000000a").orElseThrow().master(), "the running guest's tap is plugged again");
      assertTrue(repair.repairedAny(Part.BRIDGE) && repair.repairedAny(Part.BRIDGE_ADDRESS), repair.summary());
      assertTrue(repair.repairedAny(Part.GUEST_TAP), repair.summary());
      assertEquals(List.of(Part.DHCP_SERVER, Part.DHCP_SERVER), repair.parts().subList(repair.parts().size() - 2, repair.parts().size()),
          "stopped, then started on the new bridge: " + repair.summary());
      assertEquals(2, dhcp.starts());
      assertEquals(1, dhcp.runningSettings().size());
    }

    @Test
    void aFailedRepairSaysWhatItDidAndWhatFailed() {
      dhcp.crash(settings);
      firewall.flush();
      firewall.failInstall();
      net.setUp("br0", false);

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(Part.BRIDGE), repair.parts(), "done before the failing step: " + repair.summary());
      assertTrue(repair.failure().orElseThrow().contains("injected failure"), repair.summary());
      assertFalse(repair.healthy());
      assertTrue(repair.summary().contains("not repaired: "), repair.summary());
      assertEquals(1, dhcp.starts(), "stopped at the failing step");
    }

    @Test
    void aNonBridgeTakingTheNameIsReportedNotTouched() {
      net.deleteLink("br0");
      net.nic("br0", "52:54:00:00:00:01");
      List<String> commands = net.commands();

      NetworkRepair repair = nat.repair();

      assertEquals(List.of(), repair.repaired());
      assertTrue(repair.failure().orElseThrow().contains("not a bridge"), repair.summary());
      assertEquals(commands, net.commands());
    }
  }
}
