package io.kvmguest.agent.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the node agent provides the bridge that guest taps are attached to. */
public enum NetworkMode {
  /** The admin made the bridge (and bridged the uplink) by hand; the agent only uses it. */
  EXISTING,
  /** The agent creates the bridge and moves the uplink, its addresses and default route into it. */
  MANAGED,
  /** The agent creates an isolated bridge with its own subnet, DHCP and masquerading (libvirt's default network). */
  NAT;

  public static NetworkMode parse(String text) {
    for (NetworkMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
        return mode;
      }
    }
    throw new IllegalArgumentException("network mode '" + text + "' is not one of "
        + Arrays.stream(values()).map(NetworkMode::toString).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
