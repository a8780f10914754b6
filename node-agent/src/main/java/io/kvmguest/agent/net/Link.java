package io.kvmguest.agent.net;

import java.util.List;
import java.util.Optional;

/**
 * A network link as the host shows it, or as we want it. {@code kind} is the kernel's link kind
 * ({@code bridge}, {@code tun}, {@code veth}, ...) or empty for a physical NIC; {@code tap} is true
 * for a tun device in tap mode. {@code up} is the administrative state (the UP flag), which is what
 * we set; {@code operState} is what the kernel reports ({@code UP}, {@code DOWN}, {@code UNKNOWN}).
 */
public record Link(
    String name, String kind, boolean tap, Optional<String> master, boolean up, String operState, String mac,
    List<Ipv4Cidr> addresses) {

  public Link {
    addresses = List.copyOf(addresses);
    mac = mac == null ? "" : mac;
    operState = operState == null ? "" : operState;
  }

  /** A bridge as we want it: up, no master, with these addresses; an empty mac means "any". */
  public static Link bridge(String name, String mac, List<Ipv4Cidr> addresses) {
    return new Link(name, "bridge", false, Optional.empty(), true, "", mac, addresses);
  }

  public boolean isBridge() {
    return "bridge".equals(kind);
  }

  public Link withMaster(Optional<String> newMaster) {
    return new Link(name, kind, tap, newMaster, up, operState, mac, addresses);
  }

  public Link withUp(boolean newUp) {
    return new Link(name, kind, tap, master, newUp, operState, mac, addresses);
  }

  public Link withMac(String newMac) {
    return new Link(name, kind, tap, master, up, operState, newMac, addresses);
  }

  public Link withAddresses(List<Ipv4Cidr> newAddresses) {
    return new Link(name, kind, tap, master, up, operState, mac, newAddresses);
  }
}
