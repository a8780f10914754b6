package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExistingBridgeTest {
  private final FakeHostNetwork net = new FakeHostNetwork().nic("eth0", "52:54:00:aa:bb:cc", "192.168.1.10/24");

  @Test
  void missingBridgeIsReportedByName() {
    BridgeStatus status = new ExistingBridge(net, "br0").ensure();

    assertFalse(status.ready());
    assertEquals(BridgeStatus.BRIDGE_MISSING, status.reason());
    assertTrue(status.message().startsWith("bridge br0 does not exist"), status.message());
    assertEquals(List.of(), net.commands(), "existing mode never changes the host");
  }

  @Test
  void missingBridgeStillGetsTheTapButUnattached() {
    new ExistingBridge(net, "br0").ensure();

    TapStatus tap = new TapDevices(net).plug("kvg12345678", "br0");

    assertFalse(tap.attached());
    assertEquals(BridgeStatus.BRIDGE_MISSING, tap.reason());
    Link link = net.link("kvg12345678").orElseThrow();
    assertTrue(link.tap() && link.up() && link.master().isEmpty());
  }

  @Test
  void upBridgeIsReady() {
    net.createBridge("br0");
    net.setUp("br0", true);
    int commands = net.commands().size();

    BridgeStatus status = new ExistingBridge(net, "br0").ensure();

    assertTrue(status.ready());
    assertEquals(commands, net.commands().size());
  }

  @Test
  void downBridgeIsReportedNotFixed() {
    net.createBridge("br0");

    BridgeStatus status = new ExistingBridge(net, "br0").ensure();

    assertEquals(BridgeStatus.BRIDGE_DOWN, status.reason());
    assertFalse(net.link("br0").orElseThrow().up());
  }

  @Test
  void aNicIsNotABridge() {
    BridgeStatus status = new ExistingBridge(net, "eth0").ensure();

    assertEquals(BridgeStatus.NOT_A_BRIDGE, status.reason());
    assertTrue(status.message().contains("plain NIC"), status.message());
  }

  @Test
  void repairNeverTouchesTheAdminsBridge() {
    assertTrue(new ExistingBridge(net, "br0").repair().healthy(), "a missing bridge is ensure()'s report, not a repair");
    assertEquals(List.of(), net.commands());
  }
}
