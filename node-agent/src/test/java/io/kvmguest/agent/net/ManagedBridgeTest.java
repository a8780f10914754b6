package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManagedBridgeTest {
  private static final String ETH0_MAC = "52:54:00:aa:bb:cc";
  private static final Route DEFAULT = Route.defaultVia("192.168.1.1", "eth0");
  private static final Route STATIC = new Route("172.20.0.0/16", Optional.of("192.168.1.1"), "eth0", 50, Optional.of("static"));

  private final FakeHostNetwork net = new FakeHostNetwork()
      .nic("eth0", ETH0_MAC, "192.168.1.10/24")
      .route(DEFAULT)
      .route(STATIC)
      .hostOnWire("192.168.1.1", "eth0");
  private final ManagedBridge managed = new ManagedBridge(net, net.reachability(), "br0", "eth0", Duration.ofSeconds(1));

  @Test
  void movesUplinkWithAddressesRoutesAndMacIntoBridge() {
    assertTrue(net.reachability().reachable("192.168.1.1", Duration.ZERO), "scene: gateway answers before");

    BridgeStatus status = managed.ensure();

    assertTrue(status.ready(), status.message());
    assertEquals(BridgeStatus.READY, status.reason());
    Link br0 = net.link("br0").orElseThrow();
    Link eth0 = net.link("eth0").orElseThrow();
    assertTrue(br0.isBridge() && br0.up());
    assertEquals(List.of(Ipv4Cidr.parse("192.168.1.10/24")), br0.addresses());
    assertEquals(ETH0_MAC, br0.mac(), "the LAN keeps seeing the node's MAC");
    assertEquals(Optional.of("br0"), eth0.master());
    assertTrue(eth0.up());
    assertEquals(List.of(), eth0.addresses());
    assertEquals(Optional.of(Route.defaultVia("192.168.1.1", "br0")), net.defaultRoute());
    assertTrue(net.allRoutes().contains(STATIC.onDevice("br0")));
    assertTrue(net.reachability().reachable("192.168.1.1", Duration.ZERO));
  }

  @Test
  void secondRunChangesNothing() {
    managed.ensure();
    List<String> after = net.commands();

    BridgeStatus again = managed.ensure();

    assertTrue(again.ready());
    assertEquals(List.of(), again.changes());
    assertEquals(after, net.commands(), "no ip command on the second run");
  }

  @Test
  void bridgeMacStaysWhenATapWithALowerMacJoins() {
    managed.ensure();
    new TapDevices(net).plug("kvg00000001", "br0"); // the fake's taps get 0a:..., below 52:54:...

    assertEquals(ETH0_MAC, net.link("br0").orElseThrow().mac());
  }

  @Test
  void unreachableGatewayRollsBackToExactlyThePreviousState() {
    NetworkState before = NetworkState.read(net, List.of("br0", "eth0"));
    List<Link> linksBefore = net.links();
    List<Route> routesBefore = List.copyOf(net.allRoutes());
    net.setGatewayUnreachable(true);

    BridgeStatus status = managed.ensure();

    assertFalse(status.ready());
    assertEquals(BridgeStatus.GATEWAY_UNREACHABLE, status.reason());
    assertTrue(status.message().contains("192.168.1.1") && status.message().contains("rolled back"), status.message());
    assertEquals(linksBefore, net.links());
    assertEquals(new HashSet<>(routesBefore), new HashSet<>(net.allRoutes()));
    assertTrue(NetworkState.read(net, List.of("br0", "eth0")).matches(before));
    assertTrue(status.changes().stream().anyMatch(c -> c.startsWith("rollback: delete br0")), status.changes().toString());
  }

  @Test
  void failingStepRollsBack() {
    List<Link> linksBefore = net.links();
    net.failCommandsContaining("ip addr del 192.168.1.10/24 dev eth0");

    BridgeStatus status = managed.ensure();

    assertEquals(BridgeStatus.APPLY_FAILED, status.reason());
    assertTrue(status.message().contains("remove 192.168.1.10/24 from eth0"), status.message());
    assertEquals(linksBefore, net.links());
    assertEquals(Optional.of(DEFAULT), net.defaultRoute());
  }

  @Test
  void failureOfTheVeryFirstCommandLeavesEverythingAlone() {
    List<Link> linksBefore = net.links();
    net.makeNextCommandFail();

    BridgeStatus status = managed.ensure();

    assertEquals(BridgeStatus.APPLY_FAILED, status.reason());
    assertEquals(linksBefore, net.links());
  }

  @Test
  void rollbackThatFailsIsReportedAsSuch() {
    net.setGatewayUnreachable(true);
    net.failCommandsContaining("ip link del dev br0");

    BridgeStatus status = managed.ensure();

    assertEquals(BridgeStatus.ROLLBACK_FAILED, status.reason());
    assertTrue(status.message().contains("rolling back failed"), status.message());
  }

  @Test
  void adminMadeEmptyBridgeIsKeptOnRollback() {
    net.createBridge("br0");
    List<Link> linksBefore = net.links();
    net.setGatewayUnreachable(true);

    managed.ensure();

    assertEquals(linksBefore, net.links(), "br0 existed before, so it stays, empty and down");
  }

  @Test
  void missingUplinkIsReported() {
    BridgeStatus status = new ManagedBridge(net, net.reachability(), "br0", "ens3", Duration.ofSeconds(1)).ensure();

    assertEquals(BridgeStatus.UPLINK_MISSING, status.reason());
    assertTrue(status.message().contains("ens3") && status.message().contains("eth0"), status.message());
    assertEquals(List.of(), net.commands());
  }

  @Test
  void uplinkInAnotherBridgeIsLeftAlone() {
    net.createBridge("virbr9");
    net.setMaster("eth0", "virbr9");
    int commands = net.commands().size();

    BridgeStatus status = managed.ensure();

    assertEquals(BridgeStatus.UPLINK_IN_OTHER_BRIDGE, status.reason());
    assertTrue(status.message().contains("virbr9"));
    assertEquals(commands, net.commands().size());
  }

  @Test
  void withoutDefaultRouteTheMoveIsNotCheckedByPing() {
    FakeHostNetwork bare = new FakeHostNetwork().nic("eth0", ETH0_MAC, "10.1.0.5/16");
    bare.setGatewayUnreachable(true);

    BridgeStatus status = new ManagedBridge(bare, bare.reachability(), "br0", "eth0", Duration.ofSeconds(1)).ensure();

    assertTrue(status.ready(), status.message());
    assertEquals(List.of(Ipv4Cidr.parse("10.1.0.5/16")), bare.link("br0").orElseThrow().addresses());
  }
}
