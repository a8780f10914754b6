package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real persistent taps on a real bridge, inside a throwaway namespace. */
class TapDevicesIT {
  private NetnsFixture node;
  private LinuxHostNetwork net;
  private TapDevices taps;

  @BeforeEach
  void namespace() {
    Requirements.root();
    Requirements.binary("ip");
    Requirements.binary("bridge");
    node = NetnsFixture.create("taps");
    net = new LinuxHostNetwork(node.runner());
    taps = new TapDevices(net);
  }

  @AfterEach
  void cleanUp() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void tapsAreCreatedOnTheBridgeAndRemoved() {
    net.createBridge("br0");
    net.setUp("br0", true);
    String eth0 = TapNames.forNic("6f1c2a9e-uid", "eth0");
    String eth1 = TapNames.forNic("6f1c2a9e-uid", "eth1");

    assertTrue(taps.plug(eth0, "br0").attached());
    assertTrue(taps.plug(eth1, "br0").attached());
    assertTrue(taps.plug(eth0, "br0").attached(), "plugging again is harmless");

    Link tap = net.link(eth0).orElseThrow();
    assertTrue(tap.tap() && tap.up(), tap.toString());
    assertEquals(Optional.of("br0"), tap.master());
    String ports = node.exec("bridge", "link", "show").stdout();
    assertTrue(ports.contains(eth0) && ports.contains(eth1) && ports.contains("master br0"), ports);
    assertEquals(Set.of(eth0, eth1), Set.copyOf(taps.ourTaps()));

    taps.unplug(eth0);
    taps.unplug(eth1);

    assertTrue(net.link(eth0).isEmpty() && net.link(eth1).isEmpty());
    assertEquals(List.of(), taps.ourTaps());
    assertFalse(node.exec("bridge", "link", "show").stdout().contains("kvg"));
  }

  @Test
  void withoutTheBridgeTheTapExistsButIsNotAttached() {
    BridgeStatus bridge = new ExistingBridge(net, "br0").ensure();
    String name = TapNames.forNic("uid-2", "eth0");

    TapStatus status = taps.plug(name, "br0");

    assertEquals(BridgeStatus.BRIDGE_MISSING, bridge.reason());
    assertFalse(status.attached());
    assertEquals(BridgeStatus.BRIDGE_MISSING, status.reason());
    Link tap = net.link(name).orElseThrow();
    assertTrue(tap.tap() && tap.up() && tap.master().isEmpty(), tap.toString());
  }
}
