package io.kvmguest.agent.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** In-memory forwarding switch and masquerade rules; logs changes; can be made to fail. */
public final class FakeNatFirewall implements NatFirewall {
  private boolean forwarding;
  private final Set<String> masquerades = new HashSet<>();
  private final List<String> changes = new ArrayList<>();
  private boolean failInstall;

  @Override
  public boolean forwardingEnabled() {
    return forwarding;
  }

  @Override
  public void enableForwarding() {
    changes.add("forwarding on");
    forwarding = true;
  }

  @Override
  public boolean masqueradeInstalled(String bridge, Ipv4Cidr subnet) {
    return masquerades.contains(bridge + " " + subnet);
  }

  @Override
  public void installMasquerade(String bridge, Ipv4Cidr subnet) {
    if (failInstall) {
      throw new IllegalStateException("iptables: injected failure");
    }
    changes.add("masquerade " + bridge + " " + subnet);
    masquerades.add(bridge + " " + subnet);
  }

  @Override
  public void removeMasquerade(String bridge, Ipv4Cidr subnet) {
    if (masquerades.remove(bridge + " " + subnet)) {
      changes.add("remove masquerade " + bridge + " " + subnet);
    }
  }

  public void failInstall() {
    failInstall = true;
  }

  /** Someone (or a reboot of the namespace's sysctls) switched forwarding off. */
  public void disableForwarding() {
    forwarding = false;
  }

  /** Someone flushed the rules behind our back. */
  public void flush() {
    masquerades.clear();
  }

  public Set<String> masquerades() {
    return Set.copyOf(masquerades);
  }

  public List<String> changes() {
    return List.copyOf(changes);
  }
}
