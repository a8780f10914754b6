package io.kvmguest.agent.net;

import java.util.List;
import java.util.Optional;

/**
 * The node's links, addresses and routes (IPv4), read and changed one small step at a time. The
 * agent's only way to touch host networking; the Linux implementation runs {@code ip}, the test one
 * is an in-memory model. Changing methods throw
 * {@link io.kvmguest.agent.exec.CommandFailedException} when the host refuses.
 */
public interface HostNetwork {

  List<Link> links();

  default Optional<Link> link(String name) {
    return links().stream().filter(l -> l.name().equals(name)).findFirst();
  }

  void createBridge(String name);

  /** A persistent tap ({@code ip tuntap add dev NAME mode tap}) that qemu opens by name later. */
  void createTap(String name);

  void setMaster(String link, String bridge);

  void clearMaster(String link);

  void setUp(String link, boolean up);

  /** {@link #setMaster} and {@link #setUp} (up), in one step where the host allows. */
  default void setMasterAndUp(String link, String bridge) {
    setMaster(link, bridge);
    setUp(link, true);
  }

  void setMac(String link, String mac);

  void deleteLink(String name);

  List<Ipv4Cidr> addresses(String link);

  void addAddress(String link, Ipv4Cidr address);

  void deleteAddress(String link, Ipv4Cidr address);

  /** Routes whose device is {@code link}, including the kernel's own subnet routes. */
  List<Route> routes(String link);

  /** The default route with the lowest metric, if any. */
  Optional<Route> defaultRoute();

  /** Adds the route or replaces the one with the same destination and metric. */
  void replaceRoute(Route route);

  void deleteRoute(Route route);

  /** The IPv4 neighbour table of a link. */
  List<Neighbour> neighbours(String link);

  /**
   * Makes the kernel resolve {@code ipv4} on {@code link} (one ping, its answer ignored): afterwards
   * the neighbour table says whether a host answered ARP for the address, and with which MAC.
   */
  void probe(String link, String ipv4);
}
