package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandFailedException;
import io.kvmguest.agent.exec.CommandResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * In-memory {@link HostNetwork} with the kernel behaviour the modes rely on: a link's routes go when
 * its last address or the link itself goes, a route's gateway must be on a connected subnet of an
 * up link, a bridge without a fixed MAC takes its ports' lowest MAC. Hosts "on the wire" of a NIC
 * answer {@link #reachability()} only through a working path. Every change is logged as the
 * {@code ip} command it stands for; switches make commands fail.
 */
public final class FakeHostNetwork implements HostNetwork {
  private int neighbourReads;
  private final Map<String, Link> links = new LinkedHashMap<>();
  private final Set<String> fixedMacs = new HashSet<>();
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, List<Neighbour>> neighbours = new HashMap<>();
  private final Map<String, String> hostsOnWire = new HashMap<>();
  private final Map<String, String> arpAnswers = new HashMap<>();
  private final List<String> commands = new ArrayList<>();
  private final List<String> failWhenContaining = new ArrayList<>();
  private int failNext;
  private boolean gatewayUnreachable;
  private int macCounter;

  // --- setting the scene (not logged) ---

  /** A physical NIC, up, with these addresses. */
  public FakeHostNetwork nic(String name, String mac, String... addresses) {
    links.put(name, new Link(name, "", false, Optional.empty(), true, "UP", mac,
        java.util.Arrays.stream(addresses).map(Ipv4Cidr::parse).toList()));
    return this;
  }

  public FakeHostNetwork route(Route route) {
    routes.add(route);
    return this;
  }

  /** A host (e.g. the LAN gateway) reachable over the wire of {@code nic}. */
  public FakeHostNetwork hostOnWire(String ip, String nic) {
    hostsOnWire.put(ip, nic);
    return this;
  }

  public FakeHostNetwork neighbour(String link, Neighbour neighbour) {
    neighbours.computeIfAbsent(link, k -> new ArrayList<>()).add(neighbour);
    return this;
  }

  /** A guest on {@code link} that holds {@code ip}: it answers the ARP of a {@link #probe}. */
  public FakeHostNetwork answersArp(String link, String ip, String mac) {
    arpAnswers.put(link + " " + ip, mac);
    return this;
  }

  // --- failure switches ---

  public void makeNextCommandFail() {
    failNext++;
  }

  /** Every later command whose text contains {@code fragment} fails. */
  public void failCommandsContaining(String fragment) {
    failWhenContaining.add(fragment);
  }

  public void clearFailures() {
    failWhenContaining.clear();
    failNext = 0;
  }

  /** The LAN is broken: no host on any wire answers. */
  public void setGatewayUnreachable(boolean unreachable) {
    gatewayUnreachable = unreachable;
  }

  /** The {@code ip} commands that changed something, in order. */
  public List<String> commands() {
    return List.copyOf(commands);
  }

  public List<Route> allRoutes() {
    return List.copyOf(routes);
  }

  public Reachability reachability() {
    return (ip, within) -> !gatewayUnreachable && hostsOnWire.containsKey(ip) && pathTo(ip, hostsOnWire.get(ip));
  }

  private boolean pathTo(String ip, String wire) {
    Link nic = links.get(wire);
    if (nic == null || !nic.up()) {
      return false;
    }
    for (Link l : links.values()) {
      boolean holdsSubnet = l.up() && l.addresses().stream().anyMatch(a -> a.contains(ip));
      boolean direct = l.name().equals(wire) && nic.master().isEmpty();
      boolean viaBridge = l.isBridge() && nic.master().filter(l.name()::equals).isPresent();
      if (holdsSubnet && (direct || viaBridge)) {
        return true;
      }
    }
    return false;
  }

  // --- HostNetwork ---

  @Override
  public List<Link> links() {
    return List.copyOf(links.values());
  }

  @Override
  public void createBridge(String name) {
    run("ip link add name " + name + " type bridge");
    if (links.containsKey(name)) {
      fail("ip link add name " + name, "RTNETLINK answers: File exists");
    }
    links.put(name, new Link(name, "bridge", false, Optional.empty(), false, "DOWN", newMac(), List.of()));
  }

  @Override
  public void createTap(String name) {
    run("ip tuntap add dev " + name + " mode tap");
    if (links.containsKey(name)) {
      fail("ip tuntap add dev " + name, "ioctl(TUNSETIFF): Device or resource busy");
    }
    links.put(name, new Link(name, "tun", true, Optional.empty(), false, "DOWN", newMac(), List.of()));
  }

  @Override
  public void setMaster(String link, String bridge) {
    String cmd = run("ip link set dev " + link + " master " + bridge);
    Link l = existing(cmd, link);
    if (!existing(cmd, bridge).isBridge()) {
      fail(cmd, "Error: Device does not allow enslaving to a master.");
    }
    links.put(link, l.withMaster(Optional.of(bridge)));
    refreshBridgeMac(bridge);
  }

  @Override
  public void setMasterAndUp(String link, String bridge) {
    String cmd = run("ip link set dev " + link + " master " + bridge + " up");
    Link l = existing(cmd, link);
    if (!existing(cmd, bridge).isBridge()) {
      fail(cmd, "Error: Device does not allow enslaving to a master.");
    }
    links.put(link, l.withMaster(Optional.of(bridge)).withUp(true));
    refreshBridgeMac(bridge);
  }

  @Override
  public void clearMaster(String link) {
    String cmd = run("ip link set dev " + link + " nomaster");
    Optional<String> old = existing(cmd, link).master();
    links.put(link, links.get(link).withMaster(Optional.empty()));
    old.ifPresent(this::refreshBridgeMac);
  }

  @Override
  public void setUp(String link, boolean up) {
    String cmd = run("ip link set dev " + link + (up ? " up" : " down"));
    links.put(link, existing(cmd, link).withUp(up));
  }

  @Override
  public void setMac(String link, String mac) {
    String cmd = run("ip link set dev " + link + " address " + mac);
    links.put(link, existing(cmd, link).withMac(mac));
    fixedMacs.add(link);
  }

  @Override
  public void deleteLink(String name) {
    String cmd = run("ip link del dev " + name);
    existing(cmd, name);
    links.remove(name);
    fixedMacs.remove(name);
    neighbours.remove(name);
    routes.removeIf(r -> r.device().equals(name));
    links.replaceAll((n, l) -> l.master().filter(name::equals).isPresent() ? l.withMaster(Optional.empty()) : l);
  }

  @Override
  public List<Ipv4Cidr> addresses(String link) {
    return existing("ip addr show dev " + link, link).addresses();
  }

  @Override
  public void addAddress(String link, Ipv4Cidr address) {
    String cmd = run("ip addr add " + address + " brd + dev " + link);
    Link l = existing(cmd, link);
    if (l.addresses().contains(address)) {
      fail(cmd, "RTNETLINK answers: File exists");
    }
    List<Ipv4Cidr> addresses = new ArrayList<>(l.addresses());
    addresses.add(address);
    links.put(link, l.withAddresses(addresses));
  }

  @Override
  public void deleteAddress(String link, Ipv4Cidr address) {
    String cmd = run("ip addr del " + address + " dev " + link);
    Link l = existing(cmd, link);
    if (!l.addresses().contains(address)) {
      fail(cmd, "RTNETLINK answers: Cannot assign requested address");
    }
    List<Ipv4Cidr> addresses = new ArrayList<>(l.addresses());
    addresses.remove(address);
    links.put(link, l.withAddresses(addresses));
    if (addresses.isEmpty()) {
      routes.removeIf(r -> r.device().equals(link));
    }
  }

  @Override
  public List<Route> routes(String link) {
    Link l = existing("ip route show dev " + link, link);
    List<Route> all = new ArrayList<>(routes.stream().filter(r -> r.device().equals(link)).toList());
    if (l.up()) {
      l.addresses().forEach(a -> all.add(new Route(a.subnet().toString(), Optional.empty(), link, 0, Optional.of("kernel"))));
    }
    return all;
  }

  @Override
  public Optional<Route> defaultRoute() {
    return routes.stream().filter(Route::isDefault).min(Comparator.comparingInt(Route::metric));
  }

  @Override
  public void replaceRoute(Route route) {
    String cmd = run("ip route replace " + route);
    Link dev = existing(cmd, route.device());
    if (!dev.up()) {
      fail(cmd, "Error: Nexthop device is not up.");
    }
    if (route.gateway().isPresent() && dev.addresses().stream().noneMatch(a -> a.contains(route.gateway().get()))) {
      fail(cmd, "Error: Nexthop has invalid gateway.");
    }
    routes.removeIf(r -> r.destination().equals(route.destination()) && r.metric() == route.metric());
    routes.add(route);
  }

  @Override
  public void deleteRoute(Route route) {
    String cmd = run("ip route del " + route);
    if (!routes.remove(route)) {
      fail(cmd, "RTNETLINK answers: No such process");
    }
  }

  @Override
  public List<Neighbour> neighbours(String link) {
    neighbourReads++;
    existing("ip neigh show dev " + link, link);
    return List.copyOf(neighbours.getOrDefault(link, List.of()));
  }

  /** How many times the neighbour table was read (each an ip call on a real host). */
  public int neighbourReads() {
    return neighbourReads;
  }

  @Override
  public void probe(String link, String ipv4) {
    run("ping -n -q -c 1 -W 1 -I " + link + " " + ipv4);
    String mac = arpAnswers.get(link + " " + ipv4);
    neighbour(link, new Neighbour(ipv4, mac == null ? "" : mac, List.of(mac == null ? "FAILED" : "REACHABLE")));
  }

  // --- the kernel's side ---

  private String run(String command) {
    if (failNext > 0 || failWhenContaining.stream().anyMatch(command::contains)) {
      failNext = Math.max(0, failNext - 1);
      fail(command, "injected failure");
    }
    commands.add(command);
    return command;
  }

  private Link existing(String command, String name) {
    Link l = links.get(name);
    if (l == null) {
      fail(command, "Cannot find device \"" + name + "\"");
    }
    return l;
  }

  private void refreshBridgeMac(String bridge) {
    if (fixedMacs.contains(bridge) || !links.containsKey(bridge)) {
      return;
    }
    links.values().stream().filter(l -> l.master().filter(bridge::equals).isPresent()).map(Link::mac)
        .min(Comparator.naturalOrder())
        .ifPresent(mac -> links.put(bridge, links.get(bridge).withMac(mac)));
  }

  private String newMac() {
    return String.format("0a:00:00:00:00:%02x", ++macCounter);
  }

  private static void fail(String command, String stderr) {
    throw new CommandFailedException(new CommandResult(List.of(command.split(" ")), 2, "", stderr));
  }
}
