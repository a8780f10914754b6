package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmguest.agent.exec.CommandFailedException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The argv each operation runs: one argument per element, never a shell line. */
class LinuxHostNetworkTest {
  private final ScriptedCommandRunner runner = new ScriptedCommandRunner();
  private final LinuxHostNetwork net = new LinuxHostNetwork(runner);

  @Test
  void linkCommands() {
    net.createBridge("br0");
    net.createTap("kvg0123abcd");
    net.setMaster("kvg0123abcd", "br0");
    net.clearMaster("eth0");
    net.setUp("br0", true);
    net.setMac("br0", "52:54:00:aa:bb:cc");
    net.setMasterAndUp("kvg0123abcd", "br0");
    net.deleteLink("kvg0123abcd");

    assertEquals(List.of(
        List.of("ip", "link", "add", "name", "br0", "type", "bridge"),
        List.of("ip", "tuntap", "add", "dev", "kvg0123abcd", "mode", "tap"),
        List.of("ip", "link", "set", "dev", "kvg0123abcd", "master", "br0"),
        List.of("ip", "link", "set", "dev", "eth0", "nomaster"),
        List.of("ip", "link", "set", "dev", "br0", "up"),
        List.of("ip", "link", "set", "dev", "br0", "address", "52:54:00:aa:bb:cc"),
        List.of("ip", "link", "set", "dev", "kvg0123abcd", "master", "br0", "up"),
        List.of("ip", "link", "del", "dev", "kvg0123abcd")), runner.calls());
  }

  @Test
  void oneLinkIsLookedUpByNameNotByListingThemAll() {
    runner.answer("ip -j -d addr show dev br0", 0, "[{\"ifname\":\"br0\",\"flags\":[\"UP\"],\"linkinfo\":{\"info_kind\":\"bridge\"}}]");
    runner.answer("ip -j -d addr show dev kvg0123abcd", 1, "", "Device \"kvg0123abcd\" does not exist.\n");
    runner.answer("ip -j -d addr show dev eth9", 255, "", "Cannot send link request: Operation not permitted\n");

    assertEquals("br0", net.link("br0").orElseThrow().name());
    assertEquals(Optional.empty(), net.link("kvg0123abcd"));
    assertThrows(CommandFailedException.class, () -> net.link("eth9"), "any other failure is not 'absent'");
    assertEquals(List.of("ip -j -d addr show dev br0", "ip -j -d addr show dev kvg0123abcd", "ip -j -d addr show dev eth9"), runner.lines());
  }

  @Test
  void addressAndRouteCommands() {
    net.addAddress("br0", Ipv4Cidr.parse("10.88.0.1/24"));
    net.deleteAddress("eth0", Ipv4Cidr.parse("192.168.1.10/24"));
    net.replaceRoute(Route.defaultVia("192.168.1.1", "br0"));
    net.replaceRoute(new Route("172.20.0.0/16", Optional.of("192.168.1.1"), "br0", 50, Optional.of("static")));
    net.deleteRoute(new Route("10.9.9.9", Optional.empty(), "br0", 0, Optional.empty()));

    assertEquals(List.of(
        "ip addr add 10.88.0.1/24 brd + dev br0",
        "ip addr del 192.168.1.10/24 dev eth0",
        "ip route replace default via 192.168.1.1 dev br0",
        "ip route replace 172.20.0.0/16 via 192.168.1.1 dev br0 metric 50 proto static",
        "ip route del 10.9.9.9 dev br0"), runner.lines());
  }

  @Test
  void readsThroughJson() {
    runner.answer("ip -j -4 route show default", 0,
        "[{\"dst\":\"default\",\"gateway\":\"10.0.0.1\",\"dev\":\"eth1\",\"metric\":100,\"flags\":[]},"
            + "{\"dst\":\"default\",\"gateway\":\"192.168.1.1\",\"dev\":\"eth0\",\"flags\":[]}]");
    runner.answer("ip -j -4 route show dev eth0", 0,
        "[{\"dst\":\"192.168.1.0/24\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"192.168.1.10\",\"flags\":[]}]");

    assertEquals(Optional.of(Route.defaultVia("192.168.1.1", "eth0")), net.defaultRoute());
    assertEquals("eth0", net.routes("eth0").get(0).device(), "ip omits the device it was asked about");
  }

  @Test
  void rejectsNamesThatCouldBeOptions() {
    assertThrows(IllegalArgumentException.class, () -> net.createBridge("-f"));
    assertThrows(IllegalArgumentException.class, () -> net.createTap("a-name-longer-than-15"));
    assertThrows(IllegalArgumentException.class, () -> net.setMac("br0", "00:11:22:33:44:55 up"));
    assertEquals(List.of(), runner.calls());
  }

  @Test
  void failuresCarryTheCommand() {
    runner.answer("ip link add", 2, "");
    CommandFailedException e = assertThrows(CommandFailedException.class, () -> net.createBridge("br0"));
    assertEquals(List.of("ip", "link", "add", "name", "br0", "type", "bridge"), e.result().argv());
  }
}
