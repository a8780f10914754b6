package io.kvmguest.agent.disk;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** This node's own IP addresses, which HTTP imports must not reach (see {@link ImportAddressPolicy}). */
public final class NodeAddresses {
  private NodeAddresses() {}

  /** Every address on every interface the agent's network namespace has, read once at start. */
  public static Set<InetAddress> all() {
    Set<InetAddress> addresses = new HashSet<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        addresses.addAll(Collections.list(nic.getInetAddresses()));
      }
    } catch (SocketException e) {
      throw new IllegalStateException("cannot list this node's network interfaces: " + e.getMessage(), e);
    }
    return Set.copyOf(addresses);
  }
}
