package io.kvmguest.agent.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure: the ordered steps that turn one {@link NetworkState} into another. The order keeps a node
 * reachable for as long as possible while its addresses move between an uplink and a bridge:
 * the new holder gets the addresses and routes before the old one loses them (the kernel flushes a
 * link's routes when its last address goes), and links are deleted last.
 */
public final class StateDiff {
  private StateDiff() {}

  public static List<NetworkStep> steps(NetworkState actual, NetworkState desired) {
    List<NetworkStep> steps = new ArrayList<>();
    for (Link want : desired.links().values()) {
      if (actual.link(want.name()).isEmpty()) {
        if (!want.isBridge()) {
          throw new IllegalStateException("link " + want.name() + " does not exist; only bridges can be created");
        }
        steps.add(new NetworkStep.CreateBridge(want.name()));
      }
    }
    for (Link want : desired.links().values()) {
      Optional<Link> have = actual.link(want.name());
      if (!want.mac().isEmpty() && !have.map(Link::mac).orElse("").equalsIgnoreCase(want.mac())) {
        steps.add(new NetworkStep.SetMac(want.name(), want.mac()));
      }
    }
    // Release ports before enslaving them elsewhere.
    for (Link want : desired.links().values()) {
      Optional<String> haveMaster = actual.link(want.name()).flatMap(Link::master);
      if (want.master().isEmpty() && haveMaster.isPresent()) {
        steps.add(new NetworkStep.SetMaster(want.name(), Optional.empty()));
      }
    }
    for (Link want : desired.links().values()) {
      Optional<String> haveMaster = actual.link(want.name()).flatMap(Link::master);
      if (want.master().isPresent() && !want.master().equals(haveMaster)) {
        steps.add(new NetworkStep.SetMaster(want.name(), want.master()));
      }
    }
    for (Link want : desired.links().values()) {
      boolean haveUp = actual.link(want.name()).map(Link::up).orElse(false);
      if (want.up() != haveUp) {
        steps.add(new NetworkStep.SetUp(want.name(), want.up()));
      }
    }
    for (Link want : desired.links().values()) {
      List<Ipv4Cidr> have = actual.link(want.name()).map(Link::addresses).orElse(List.of());
      want.addresses().stream().filter(a -> !have.contains(a))
          .forEach(a -> steps.add(new NetworkStep.AddAddress(want.name(), a)));
    }
    desired.routes().stream().filter(r -> !actual.routes().contains(r))
        .forEach(r -> steps.add(new NetworkStep.ReplaceRoute(r)));
    // Stale routes that no desired route replaces (same destination and metric) and that survive
    // in a link we keep; routes of deleted links or of links left without addresses go with them.
    actual.routes().stream()
        .filter(r -> !desired.routes().contains(r))
        .filter(r -> desired.routes().stream().noneMatch(d -> sameKey(d, r)))
        .filter(r -> desired.link(r.device()).map(l -> !l.addresses().isEmpty()).orElse(false))
        .forEach(r -> steps.add(new NetworkStep.DeleteRoute(r)));
    for (Link have : actual.links().values()) {
      desired.link(have.name()).ifPresent(want -> have.addresses().stream()
          .filter(a -> !want.addresses().contains(a))
          .forEach(a -> steps.add(new NetworkStep.DeleteAddress(have.name(), a))));
    }
    for (Link have : actual.links().values()) {
      if (desired.link(have.name()).isEmpty()) {
        steps.add(new NetworkStep.DeleteLink(have.name()));
      }
    }
    return steps;
  }

  private static boolean sameKey(Route a, Route b) {
    return Objects.equals(a.destination(), b.destination()) && a.metric() == b.metric();
  }
}
