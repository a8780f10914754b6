package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandFailedException;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link HostNetwork} through iproute2. Reads use {@code ip -j}; every command goes through the
 * {@link CommandRunner}, so a runner bound to a network namespace keeps all of it inside.
 */
public final class LinuxHostNetwork implements HostNetwork {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final CommandRunner runner;
  private final IpJson json = new IpJson();

  public LinuxHostNetwork(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public List<Link> links() {
    return json.links(ip("-j", "-d", "addr", "show"));
  }

  /** One link, not all: with a tap per guest NIC, listing every link per lookup grows with the guests. */
  @Override
  public Optional<Link> link(String name) {
    CommandResult result = runner.run(argv("-j", "-d", "addr", "show", "dev", LinkNames.require("link", name)), TIMEOUT);
    if (result.exitCode() != 0) {
      if (result.stderr().contains("does not exist")) {
        return Optional.empty();
      }
      throw new CommandFailedException(result);
    }
    return json.links(result.stdout()).stream().filter(l -> l.name().equals(name)).findFirst();
  }

  @Override
  public void createBridge(String name) {
    ip("link", "add", "name", LinkNames.require("bridge", name), "type", "bridge");
  }

  @Override
  public void createTap(String name) {
    ip("tuntap", "add", "dev", LinkNames.require("tap", name), "mode", "tap");
  }

  @Override
  public void setMaster(String link, String bridge) {
    ip("link", "set", "dev", LinkNames.require("link", link), "master", LinkNames.require("bridge", bridge));
  }

  @Override
  public void clearMaster(String link) {
    ip("link", "set", "dev", LinkNames.require("link", link), "nomaster");
  }

  /** One {@code ip link set}: a new tap costs one process less. */
  @Override
  public void setMasterAndUp(String link, String bridge) {
    ip("link", "set", "dev", LinkNames.require("link", link), "master", LinkNames.require("bridge", bridge), "up");
  }

  @Override
  public void setUp(String link, boolean up) {
    ip("link", "set", "dev", LinkNames.require("link", link), up ? "up" : "down");
  }

  @Override
  public void setMac(String link, String mac) {
    if (!mac.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")) {
      throw new IllegalArgumentException("'" + mac + "' is not a MAC address such as 02:16:3e:00:00:01");
    }
    ip("link", "set", "dev", LinkNames.require("link", link), "address", mac);
  }

  @Override
  public void deleteLink(String name) {
    ip("link", "del", "dev", LinkNames.require("link", name));
  }

  @Override
  public List<Ipv4Cidr> addresses(String link) {
    return json.addresses(ip("-j", "-4", "addr", "show", "dev", LinkNames.require("link", link)));
  }

  @Override
  public void addAddress(String link, Ipv4Cidr address) {
    ip("addr", "add", address.toString(), "brd", "+", "dev", LinkNames.require("link", link));
  }

  @Override
  public void deleteAddress(String link, Ipv4Cidr address) {
    ip("addr", "del", address.toString(), "dev", LinkNames.require("link", link));
  }

  @Override
  public List<Route> routes(String link) {
    return json.routes(ip("-j", "-4", "route", "show", "dev", LinkNames.require("link", link)), link);
  }

  @Override
  public Optional<Route> defaultRoute() {
    return json.routes(ip("-j", "-4", "route", "show", "default"), "").stream()
        .min((a, b) -> Integer.compare(a.metric(), b.metric()));
  }

  @Override
  public void replaceRoute(Route route) {
    ip(routeArgv("replace", route).toArray(String[]::new));
  }

  @Override
  public void deleteRoute(Route route) {
    ip(routeArgv("del", route).toArray(String[]::new));
  }

  /** {@code route VERB DEST [via GW] dev DEV [metric N] [proto P]}, each value re-checked. */
  static List<String> routeArgv(String verb, Route route) {
    String destination = route.destination();
    if (!route.isDefault()) {
      // ip prints host routes without "/32".
      destination = destination.contains("/") ? Ipv4Cidr.parse(destination).toString()
          : Ipv4Cidr.fromInt(Ipv4Cidr.toInt(destination));
    }
    List<String> argv = new ArrayList<>(List.of("route", verb, destination));
    route.gateway().ifPresent(g -> argv.addAll(List.of("via", Ipv4Cidr.fromInt(Ipv4Cidr.toInt(g)))));
    argv.addAll(List.of("dev", LinkNames.require("link", route.device())));
    if (route.metric() != 0) {
      argv.addAll(List.of("metric", Integer.toString(route.metric())));
    }
    route.protocol().ifPresent(p -> argv.addAll(List.of("proto", LinkNames.require("route protocol", p))));
    return argv;
  }

  @Override
  public List<Neighbour> neighbours(String link) {
    return json.neighbours(ip("-j", "-4", "neigh", "show", "dev", LinkNames.require("link", link)));
  }

  @Override
  public void probe(String link, String ipv4) {
    // The ping's own result does not matter (a guest may drop ICMP); its ARP request does.
    runner.run(List.of("ping", "-n", "-q", "-c", "1", "-W", "1", "-I", LinkNames.require("link", link),
        Ipv4Cidr.fromInt(Ipv4Cidr.toInt(ipv4))), PROBE_TIMEOUT);
  }

  private String ip(String... args) {
    return runner.check(argv(args), TIMEOUT).stdout();
  }

  private static List<String> argv(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("ip");
    argv.addAll(List.of(args));
    return argv;
  }
}
