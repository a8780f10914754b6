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
  /** What the last successful ensure() made the bridge and uplink; null before. */
  private NetworkState settled;

  public ManagedBridge(HostNetwork net, Reachability reachability, String bridge, String uplink, Duration gatewayTimeout) {
    this.net = net;
    this.reachability = reachability;
    this.bridge = LinkNames.require("bridge", bridge);
    this.uplink = LinkNames.require("uplink", uplink);
    this.gatewayTimeout = gatewayTimeout;
  }

  @Override
  public synchronized BridgeStatus ensure() {
    NetworkState before = NetworkState.read(net, List.of(bridge, uplink));
    Optional<BridgeStatus> refused = refusal(before);
    if (refused.isPresent()) {
      return refused.get();
    }
    NetworkState want = desired(before, bridge, uplink);
    List<NetworkStep> steps = StateDiff.steps(before, want);
    if (steps.isEmpty()) {
      settled = want;
      return BridgeStatus.ready(bridge, "bridge " + bridge + " holds uplink " + uplink, List.of());
    }
    StepRun run = applyInOrder(steps);
    List<String> done = run.applied().stream().map(NetworkStep::toString).toList();
    if (run.failure().isPresent()) {
      return rollback(before, BridgeStatus.APPLY_FAILED,
          "moving " + uplink + " into " + bridge + " failed at " + run.failure().get(), done);
    }
    Optional<String> gateway = before.defaultRoute().flatMap(Route::gateway);
    Optional<String> silent = silentGateway(gateway);
    if (silent.isPresent()) {
      return rollback(before, BridgeStatus.GATEWAY_UNREACHABLE, silent.get(), done);
    }
    settled = want;
    return BridgeStatus.ready(bridge, "moved uplink " + uplink + " " + before.link(uplink).get().addresses() + " into bridge "
        + bridge + gateway.map(g -> "; gateway " + g + " answers").orElse(""), done);
  }

  /**
   * Puts back what went missing since a successful {@link #ensure()}: the bridge, its being up, the
   * uplink as its port, its MAC, guest taps of a re-created bridge, and addresses and routes the
   * bridge lost entirely. Nothing is rolled back: the state before a repair is already broken.
   * Before a successful ensure() there is nothing to keep: retrying a move that was rolled back
   * would cut the node off for the gateway timeout at every check.
   */
  @Override
  public synchronized NetworkRepair repair() {
    NetworkState kept = settled;
    if (kept == null) {
      return NetworkRepair.none(bridge);
    }
    NetworkState before = NetworkState.read(net, List.of(bridge, uplink));
    Optional<BridgeStatus> refused = refusal(before);
    if (refused.isPresent()) {
      return NetworkRepair.failed(bridge, List.of(), refused.get().message());
    }
    List<NetworkStep> steps = new ArrayList<>(StateDiff.steps(before, repairTarget(before, kept, bridge, uplink)));
    if (before.link(bridge).isEmpty()) {
      // Not in repairTarget: the taps are not part of the state this mode reads.
      steps.addAll(DetachedTaps.reattach(net.links(), bridge));
    }
    if (steps.isEmpty()) {
      return NetworkRepair.none(bridge);
    }
    StepRun run = applyInOrder(steps);
    List<NetworkRepair.Repaired> repaired = run.applied().stream().map(s -> NetworkRepair.of(s, bridge)).toList();
    Optional<String> failure = run.failure().map(f -> "repairing " + bridge + " failed at " + f)
        .or(() -> silentGateway(before.defaultRoute().or(kept::defaultRoute).flatMap(Route::gateway)));
    return new NetworkRepair(bridge, repaired, failure);
  }

  /** What this mode refuses to touch, before anything is changed. */
  private Optional<BridgeStatus> refusal(NetworkState before) {
    Optional<Link> up = before.link(uplink);
    if (up.isEmpty()) {
      return Optional.of(BridgeStatus.notReady(bridge, BridgeStatus.UPLINK_MISSING, "uplink " + uplink
          + " does not exist on this node; configure the uplink NIC to bridge (links here: "
          + net.links().stream().map(Link::name).toList() + ")", List.of()));
    }
    if (up.get().master().filter(m -> !m.equals(bridge)).isPresent()) {
      return Optional.of(BridgeStatus.notReady(bridge, BridgeStatus.UPLINK_IN_OTHER_BRIDGE, "uplink " + uplink
          + " is already attached to " + up.get().master().get() + ", not " + bridge + "; left unchanged", List.of()));
    }
    if (before.link(bridge).filter(l -> !l.isBridge()).isPresent()) {
      return Optional.of(BridgeStatus.notReady(bridge, BridgeStatus.NOT_A_BRIDGE, bridge + " exists but is not a bridge",
          List.of()));
    }
    return Optional.empty();
  }

  /** The steps applied in order up to the first that fails, and that failure in words. */
  private record StepRun(List<NetworkStep> applied, Optional<String> failure) {}

  private StepRun applyInOrder(List<NetworkStep> steps) {
    List<NetworkStep> applied = new ArrayList<>();
    for (NetworkStep step : steps) {
      try {
        step.applyTo(net);
      } catch (RuntimeException e) {
        return new StepRun(applied, Optional.of("'" + step + "': " + e.getMessage()));
      }
      applied.add(step);
    }
    return new StepRun(applied, Optional.empty());
  }

  /** Why the default gateway does not count as answering through the bridge, if it does not. */
  private Optional<String> silentGateway(Optional<String> gateway) {
    if (gateway.isPresent() && !reachability.reachable(gateway.get(), gatewayTimeout)) {
      return Optional.of("gateway " + gateway.get() + " did not answer through " + bridge + " within "
          + gatewayTimeout.toSeconds() + " s");
    }
    return Optional.empty();
  }

  /**
   * Pure: what a repair aims at. As {@link #desired} (addresses that reappeared on the uplink move
   * to the bridge again), except that when the bridge has no address left at all (deleted and
   * re-created, or flushed) the addresses and routes it had when it was set up come back. Addresses
   * it still has are kept as they are: the host's own tools (a DHCP client) may have changed them.
   */
  public static NetworkState repairTarget(NetworkState actual, NetworkState settled, String bridge, String uplink) {
    NetworkState want = desired(actual, bridge, uplink);
    Link br = want.link(bridge).orElseThrow();
    if (!br.addresses().isEmpty()) {
      return want;
    }
    Map<String, Link> links = new LinkedHashMap<>(want.links());
    links.put(bridge, br.withAddresses(settled.link(bridge).map(Link::addresses).orElse(List.of())));
    List<Route> routes = new ArrayList<>(want.routes());
    settled.routes().stream().filter(r -> !routes.contains(r)).forEach(routes::add);
    return new NetworkState(links, routes);
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
