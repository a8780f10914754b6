package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TapDevicesTest {
  private final FakeHostNetwork net = new FakeHostNetwork().nic("eth0", "52:54:00:aa:bb:cc");
  private final TapDevices taps = new TapDevices(net);
  private final String tap = TapNames.forNic("uid-1", "eth0");

  TapDevicesTest() {
    net.createBridge("br0");
    net.setUp("br0", true);
  }

  @Test
  void plugCreatesAttachesAndBringsUp() {
    TapStatus status = taps.plug(tap, "br0");

    assertTrue(status.attached(), status.message());
    assertEquals(TapStatus.ATTACHED, status.reason());
    Link link = net.link(tap).orElseThrow();
    assertTrue(link.tap() && link.up());
    assertEquals(Optional.of("br0"), link.master());
    assertTrue(net.commands().contains("ip tuntap add dev " + tap + " mode tap"));
  }

  @Test
  void aNewTapOnABridgeThatIsThereTakesTwoCommandsAndNoLookups() {
    List<String> before = net.commands();

    taps.plug(tap, "br0");

    assertEquals(List.of("ip tuntap add dev " + tap + " mode tap", "ip link set dev " + tap + " master br0 up"),
        net.commands().subList(before.size(), net.commands().size()));
  }

  @Test
  void aMissingBridgeLeavesTheNewTapUpAndUnattached() {
    TapStatus status = taps.plug(tap, "br9");

    assertFalse(status.attached());
    assertEquals(BridgeStatus.BRIDGE_MISSING, status.reason());
    Link link = net.link(tap).orElseThrow();
    assertTrue(link.tap() && link.up());
    assertEquals(Optional.empty(), link.master());
  }

  @Test
  void plugTwiceChangesNothing() {
    taps.plug(tap, "br0");
    List<String> commands = new java.util.ArrayList<>(net.commands());
    Link before = net.link(tap).orElseThrow();

    TapStatus again = taps.plug(tap, "br0");

    assertTrue(again.attached());
    assertEquals(before, net.link(tap).orElseThrow());
    commands.add("ip tuntap add dev " + tap + " mode tap"); // refused: the tap exists, so the careful path looks
    assertEquals(commands, net.commands());
  }

  @Test
  void plugReattachesATapThatFellOffTheBridge() {
    taps.plug(tap, "br0");
    net.clearMaster(tap);

    taps.plug(tap, "br0");

    assertEquals(Optional.of("br0"), net.link(tap).orElseThrow().master());
  }

  @Test
  void unplugDeletesAndIsIdempotent() {
    taps.plug(tap, "br0");

    taps.unplug(tap);
    taps.unplug(tap);

    assertTrue(net.link(tap).isEmpty());
    assertEquals(1, net.commands().stream().filter(c -> c.startsWith("ip link del")).count());
  }

  @Test
  void refusesToTakeOverANonTapLink() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> taps.plug("eth0", "br0"));
    assertTrue(e.getMessage().contains("not a tap"));
  }

  @Test
  void neverDeletesANonTapLink() {
    taps.unplug("eth0");
    assertTrue(net.link("eth0").isPresent());
  }

  @Test
  void listsOnlyOurTaps() {
    taps.plug(tap, "br0");
    net.createTap("tap0");

    assertEquals(List.of(tap), taps.ourTaps());
  }

  @Test
  void bridgeThatIsNotABridgeLeavesTapUnattached() {
    TapStatus status = taps.plug(tap, "eth0");

    assertFalse(status.attached());
    assertEquals(BridgeStatus.NOT_A_BRIDGE, status.reason());
    assertTrue(net.link(tap).orElseThrow().up());
  }
}
