package io.kvmguest.agent.net;

import java.util.Optional;

/** One change to the host's network: what {@link StateDiff} plans and what gets applied. */
public sealed interface NetworkStep {

  void applyTo(HostNetwork net);

  /** The link this step changes (for a route, its device). */
  String link();

  record CreateBridge(String name) implements NetworkStep {
    public String link() {
      return name;
    }

    public void applyTo(HostNetwork net) {
      net.createBridge(name);
    }

    public String toString() {
      return "create bridge " + name;
    }
  }

  record SetMac(String link, String mac) implements NetworkStep {
    public void applyTo(HostNetwork net) {
      net.setMac(link, mac);
    }

    public String toString() {
      return "set " + link + " address " + mac;
    }
  }

  record SetMaster(String link, Optional<String> master) implements NetworkStep {
    public void applyTo(HostNetwork net) {
      master.ifPresentOrElse(m -> net.setMaster(link, m), () -> net.clearMaster(link));
    }

    public String toString() {
      return master.map(m -> "attach " + link + " to " + m).orElse("detach " + link + " from its bridge");
    }
  }

  record SetUp(String link, boolean up) implements NetworkStep {
    public void applyTo(HostNetwork net) {
      net.setUp(link, up);
    }

    public String toString() {
      return "set " + link + (up ? " up" : " down");
    }
  }

  record AddAddress(String link, Ipv4Cidr address) implements NetworkStep {
    public void applyTo(HostNetwork net) {
      net.addAddress(link, address);
    }

    public String toString() {
      return "add " + address + " to " + link;
    }
  }

  record DeleteAddress(String link, Ipv4Cidr address) implements NetworkStep {
    public void applyTo(HostNetwork net) {
      net.deleteAddress(link, address);
    }

    public String toString() {
      return "remove " + address + " from " + link;
    }
  }

  record ReplaceRoute(Route route) implements NetworkStep {
    public String link() {
      return route.device();
    }

    public void applyTo(HostNetwork net) {
      net.replaceRoute(route);
    }

    public String toString() {
      return "route " + route;
    }
  }

  record DeleteRoute(Route route) implements NetworkStep {
    public String link() {
      return route.device();
    }

    public void applyTo(HostNetwork net) {
      net.deleteRoute(route);
    }

    public String toString() {
      return "delete route " + route;
    }
  }

  record DeleteLink(String name) implements NetworkStep {
    public String link() {
      return name;
    }

    public void applyTo(HostNetwork net) {
      net.deleteLink(name);
    }

    public String toString() {
      return "delete " + name;
    }
  }
}
