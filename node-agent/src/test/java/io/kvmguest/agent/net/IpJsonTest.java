package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IpJsonTest {
  private final IpJson json = new IpJson();

  @Test
  void linksFromRealOutput() throws IOException {
    // Captured from `ip -j -d addr show` in a namespace: a veth eth0, a bridge br0 and a tap on it.
    Map<String, Link> links = json.links(resource("ip-addr-show.json")).stream()
        .collect(Collectors.toMap(Link::name, Function.identity()));

    Link eth0 = links.get("eth0");
    assertEquals("veth", eth0.kind());
    assertTrue(eth0.up());
    assertEquals("UP", eth0.operState());
    assertEquals("8a:bc:8e:65:8f:29", eth0.mac());
    assertEquals(List.of(Ipv4Cidr.parse("192.168.50.10/24")), eth0.addresses(), "IPv6 addresses are left out");
    assertEquals(Optional.empty(), eth0.master());

    Link br0 = links.get("br0");
    assertTrue(br0.isBridge());
    assertTrue(br0.up());
    assertEquals("DOWN", br0.operState(), "admin up, no carrier yet");

    Link tap = links.get("kvgtap0");
    assertEquals("tun", tap.kind());
    assertTrue(tap.tap());
    assertEquals(Optional.of("br0"), tap.master());
    assertFalse(tap.up());

    assertFalse(links.get("lo").up());
  }

  @Test
  void routes() {
    List<Route> routes = json.routes("[{\"dst\":\"default\",\"gateway\":\"192.168.50.1\",\"flags\":[]},"
        + "{\"dst\":\"172.20.0.0/16\",\"gateway\":\"192.168.50.1\",\"protocol\":\"static\",\"metric\":50,\"flags\":[]},"
        + "{\"dst\":\"192.168.50.0/24\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"192.168.50.10\",\"flags\":[]}]",
        "eth0");

    assertEquals(List.of(
        Route.defaultVia("192.168.50.1", "eth0"),
        new Route("172.20.0.0/16", Optional.of("192.168.50.1"), "eth0", 50, Optional.of("static")),
        new Route("192.168.50.0/24", Optional.empty(), "eth0", 0, Optional.of("kernel"))), routes);
    assertTrue(routes.get(2).isKernel());
  }

  @Test
  void neighbours() {
    List<Neighbour> n = json.neighbours("[{\"dst\":\"10.88.0.57\",\"lladdr\":\"52:54:00:AB:CD:EF\",\"state\":[\"REACHABLE\"]},"
        + "{\"dst\":\"10.88.0.9\",\"state\":[\"FAILED\"]}]");

    assertEquals(new Neighbour("10.88.0.57", "52:54:00:ab:cd:ef", List.of("REACHABLE")), n.get(0));
    assertTrue(n.get(0).resolved());
    assertFalse(n.get(1).resolved());
  }

  @Test
  void emptyOutputIsNothingAndGarbageIsAnError() {
    assertEquals(List.of(), json.links(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json.links("Device \"x\" does not exist."));
    assertTrue(e.getMessage().contains("ip -j"));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = IpJsonTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
