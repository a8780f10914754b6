package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateDiffTest {
  private static final Ipv4Cidr ADDR = Ipv4Cidr.parse("192.168.1.10/24");
  private static final String MAC = "52:54:00:aa:bb:cc";
  private final Link eth0 = new Link("eth0", "", false, Optional.empty(), true, "UP", MAC, List.of(ADDR));
  private final NetworkState plain = state(List.of(eth0), List.of(Route.defaultVia("192.168.1.1", "eth0")));

  @Test
  void movingIntoABridgeAddsBeforeItRemoves() {
    NetworkState desired = ManagedBridge.desired(plain, "br0", "eth0");

    assertEquals(List.of(
        "create bridge br0",
        "set br0 address " + MAC,
        "attach eth0 to br0",
        "set br0 up",
        "add 192.168.1.10/24 to br0",
        "route default via 192.168.1.1 dev br0",
        "remove 192.168.1.10/24 from eth0"), text(StateDiff.steps(plain, desired)));
  }

  @Test
  void goingBackDetachesRestoresThenDeletesTheBridge() {
    NetworkState bridged = ManagedBridge.desired(plain, "br0", "eth0");

    assertEquals(List.of(
        "detach eth0 from its bridge",
        "add 192.168.1.10/24 to eth0",
        "route default via 192.168.1.1 dev eth0",
        "delete br0"), text(StateDiff.steps(bridged, plain)), "a deleted link takes its addresses along");
  }

  @Test
  void equalStatesNeedNoSteps() {
    NetworkState bridged = ManagedBridge.desired(plain, "br0", "eth0");
    assertEquals(List.of(), StateDiff.steps(plain, plain));
    assertEquals(bridged, ManagedBridge.desired(bridged, "br0", "eth0"), "desired of desired is itself");
  }

  @Test
  void staleRouteOnAKeptLinkIsDeleted() {
    Route stale = new Route("10.5.0.0/16", Optional.of("192.168.1.1"), "eth0", 0, Optional.of("static"));
    NetworkState withStale = state(List.of(eth0), List.of(Route.defaultVia("192.168.1.1", "eth0"), stale));

    assertEquals(List.of("delete route " + stale), text(StateDiff.steps(withStale, plain)));
  }

  @Test
  void onlyBridgesCanBeCreated() {
    NetworkState empty = state(List.of(), List.of());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> StateDiff.steps(empty, plain));
    assertEquals("link eth0 does not exist; only bridges can be created", e.getMessage());
  }

  private static NetworkState state(List<Link> links, List<Route> routes) {
    Map<String, Link> map = new LinkedHashMap<>();
    links.forEach(l -> map.put(l.name(), l));
    return new NetworkState(map, routes);
  }

  private static List<String> text(List<NetworkStep> steps) {
    return steps.stream().map(NetworkStep::toString).toList();
  }
}
