package io.kvmguest.agent.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Managed mode: the classic "bridge eth0 into br0" done by the agent. The uplink's IPv4 addresses
 * and routes move to the bridge, the bridge takes the uplink's MAC (so the LAN's ARP caches stay
 * right and the bridge MAC does not change when taps join), then the default gateway must answer
 * through the bridge; if it does not, or a step fails, the previous state is restored exactly.
 */
public final class ManagedBridge implements HostBridge {
  private final HostNetwork net;
  private final Reachability reachability;
  private final String bridge;
  private final String uplink;
  private final Duration gatewayTimeout;

  public ManagedBridge(HostNetwork net, Reachability reachability, String bridge, String uplink, Duration gatewayTimeout) {
    this.net = net;
    this.reachability = reachability;
    this.bridge = LinkNames.require("bridge", bridge);
    this.uplink = LinkNames.require("uplink", uplink);
    this.gatewayTimeout = gatewayTimeout;
  }

  @Override
  public BridgeStatus ensure() {
    NetworkState before = NetworkState.read(net, List.of(bridge, uplink));
    Optional<Link> up = before.link(uplink);
    if (up.isEmpty()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.UPLINK_MISSING, "uplink " + uplink
          + " does not exist on this node; configure the uplink NIC to bridge (links here: "
          + net.links().stream().map(Link::name).toList() + ")", List.of());
    }
    if (up.get().master().filter(m -> !m.equals(bridge)).isPresent()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.UPLINK_IN_OTHER_BRIDGE, "uplink " + uplink
          + " is already attached to " + up.get().master().get() + ", not " + bridge + "; left unchanged", List.of());
    }
    if (before.link(bridge).filter(l -> !l.isBridge()).isPresent()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.NOT_A_BRIDGE, bridge + " exists but is not a bridge", List.of());
    }
    List<NetworkStep> steps = StateDiff.steps(before, desired(before, bridge, uplink));
    if (steps.isEmpty()) {
      return BridgeStatus.ready(bridge, "bridge " + bridge + " holds uplink " + uplink, List.of());
    }
    List<String> done = new ArrayList<>();
    for (NetworkStep step : steps) {
      try {
        step.applyTo(net);
      } catch (RuntimeException e) {
        return rollback(before, BridgeStatus.APPLY_FAILED,
            "moving " + uplink + " into " + bridge + " failed at '" + step + "': " + e.getMessage(), done);
      }
      done.add(step.toString());
    }
    Optional<String> gateway = before.defaultRoute().flatMap(Route::gateway);
    if (gateway.isPresent() && !reachability.reachable(gateway.get(), gatewayTimeout)) {
      return rollback(before, BridgeStatus.GATEWAY_UNREACHABLE, "gateway " + gateway.get() + " did not answer through "
          + bridge + " within " + gatewayTimeout.toSeconds() + " s", done);
    }
    return BridgeStatus.ready(bridge, "moved uplink " + uplink + " " + up.get().addresses() + " into bridge " + bridge
        + gateway.map(g -> "; gateway " + g + " answers").orElse(""), done);
  }

  /** Pure: the uplink as a port of the bridge, the bridge holding its addresses, MAC and routes. */
  public static NetworkState desired(NetworkState actual, String bridge, String uplink) {
    Link port = actual.link(uplink).orElseThrow(() -> new IllegalArgumentException("no uplink " + uplink));
    Link br = actual.link(bridge).orElse(Link.bridge(bridge, "", List.of()));
    LinkedHashSet<Ipv4Cidr> addresses = new LinkedHashSet<>(br.addresses());
    addresses.addAll(port.addresses());
    Map<String, Link> links = new LinkedHashMap<>();
    links.put(bridge, br.withUp(true).withMaster(Optional.empty()).withMac(port.mac())
        .withAddresses(List.copyOf(addresses)));
    links.put(uplink, port.withMaster(Optional.of(bridge)).withUp(true).withAddresses(List.of()));
    List<Route> routes = actual.routes().stream()
        .map(r -> r.device().equals(uplink) ? r.onDevice(bridge) : r)
        .distinct()
        .toList();
    return new NetworkState(links, routes);
  }

  private BridgeStatus rollback(NetworkState before, String reason, String why, List<String> done) {
    List<String> changes = new ArrayList<>(done);
    try {
      for (NetworkStep step : StateDiff.steps(NetworkState.read(net, List.of(bridge, uplink)), before)) {
        step.applyTo(net);
        changes.add("rollback: " + step);
      }
    } catch (RuntimeException e) {
      return BridgeStatus.notReady(bridge, BridgeStatus.ROLLBACK_FAILED, why + "; rolling back failed too: "
          + e.getMessage() + "; network now: " + NetworkState.read(net, List.of(bridge, uplink)), changes);
    }
    NetworkState after = NetworkState.read(net, List.of(bridge, uplink));
    if (!after.matches(before)) {
      return BridgeStatus.notReady(bridge, BridgeStatus.ROLLBACK_FAILED, why + "; after rolling back the network is "
          + after + " instead of " + before, changes);
    }
    return BridgeStatus.notReady(bridge, reason, why + "; rolled back: " + uplink + " keeps "
        + before.link(uplink).map(Link::addresses).orElse(List.of()) + " and its routes", changes);
  }
}
