package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.net.NetworkRepair.Part;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** ManagedBridge.repair(): what went missing after a successful move comes back; nothing is rolled back. */
class ManagedBridgeRepairTest {
  private static final Ipv4Cidr NODE = Ipv4Cidr.parse("192.168.1.10/24");
  private static final Route DEFAULT_ON_BR0 = Route.defaultVia("192.168.1.1", "br0");

  private final FakeHostNetwork net = new FakeHostNetwork()
      .nic("eth0", "52:54:00:aa:bb:cc", "192.168.1.10/24")
      .route(Route.defaultVia("192.168.1.1", "eth0"))
      .hostOnWire("192.168.1.1", "eth0");
  private final ManagedBridge managed = new ManagedBridge(net, net.reachability(), "br0", "eth0", Duration.ofSeconds(1));

  @Test
  void beforeASuccessfulEnsureNothingIsTried() {
    net.setGatewayUnreachable(true);
    managed.ensure(); // rolled back

    NetworkRepair repair = managed.repair();

    assertTrue(repair.healthy(), repair.summary());
    assertTrue(net.link("br0").isEmpty(), "no second attempt at the move");
  }

  @Test
  void healthyBridgeNeedsNothing() {
    managed.ensure();
    List<String> commands = net.commands();

    assertTrue(managed.repair().healthy());
    assertEquals(commands, net.commands());
  }

  @Test
  void uplinkReleasedFromTheBridgeIsAttachedAgain() {
    managed.ensure();
    net.clearMaster("eth0");

    NetworkRepair repair = managed.repair();

    assertEquals(List.of(Part.UPLINK), repair.parts(), repair.summary());
    assertEquals(Optional.of("br0"), net.link("eth0").orElseThrow().master());
    assertEquals(Optional.empty(), repair.failure());
  }

  @Test
  void bridgeSetDownIsSetUp() {
    managed.ensure();
    net.setUp("br0", false);

    NetworkRepair repair = managed.repair();

    assertEquals(List.of(Part.BRIDGE), repair.parts(), repair.summary());
    assertTrue(net.reachability().reachable("192.168.1.1", Duration.ZERO));
  }

  @Test
  void deletedBridgeComesBackWithAddressRoutesUplinkAndTaps() {
    managed.ensure();
    new TapDevices(net).plug("kvg0000000b", "br0");
    net.deleteLink("br0");

    NetworkRepair repair = managed.repair();

    assertEquals(Optional.empty(), repair.failure(), repair.summary());
    assertEquals(List.of(NODE), net.link("br0").orElseThrow().addresses(), "the address it had when set up");
    assertEquals(Optional.of(DEFAULT_ON_BR0), net.defaultRoute());
    assertEquals(Optional.of("br0"), net.link("eth0").orElseThrow().master());
    assertEquals(Optional.of("br0"), net.link("kvg0000000b").orElseThrow().master());
    assertTrue(repair.repairedAny(Part.BRIDGE) && repair.repairedAny(Part.BRIDGE_ADDRESS) && repair.repairedAny(Part.ROUTE)
        && repair.repairedAny(Part.UPLINK) && repair.repairedAny(Part.GUEST_TAP), repair.summary());
    assertTrue(net.reachability().reachable("192.168.1.1", Duration.ZERO));
  }

  @Test
  void anAddressTheHostChangedIsLeftAsItIs() {
    managed.ensure();
    net.deleteAddress("br0", NODE);
    net.addAddress("br0", Ipv4Cidr.parse("192.168.1.77/24")); // e.g. a new DHCP lease

    assertTrue(managed.repair().healthy());
    assertEquals(List.of(Ipv4Cidr.parse("192.168.1.77/24")), net.link("br0").orElseThrow().addresses());
  }

  @Test
  void aRepairWhoseGatewayStaysSilentIsKeptAndReported() {
    managed.ensure();
    net.setUp("br0", false);
    net.setGatewayUnreachable(true);

    NetworkRepair repair = managed.repair();

    assertEquals(List.of(Part.BRIDGE), repair.parts());
    assertTrue(repair.failure().orElseThrow().contains("did not answer"), repair.summary());
    assertTrue(net.link("br0").orElseThrow().up(), "not rolled back to the broken state");
  }

  @Test
  void uplinkGoneIsReported() {
    managed.ensure();
    net.deleteLink("eth0");

    NetworkRepair repair = managed.repair();

    assertTrue(repair.failure().orElseThrow().contains("uplink eth0 does not exist"), repair.summary());
  }
}
