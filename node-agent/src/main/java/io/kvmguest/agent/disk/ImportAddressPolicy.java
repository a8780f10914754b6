package io.kvmguest.agent.disk;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which addresses the node agent may download guest images from. A guest spec's URL is written by
 * any tenant, and the agent runs on the node: without this, a tenant could make it GET the cloud
 * metadata service (169.254.169.254), a loopback-only admin API or anything on the private network.
 * So loopback, link-local, private, shared (100.64/10), multicast, unspecified addresses and the
 * node's own addresses are refused unless the administrator allows their range
 * ({@code --http-import-allow}). Pure: the node's addresses come in as a value.
 */
public final class ImportAddressPolicy {
  private static final IpRange SHARED = IpRange.parse("100.64.0.0/10");
  private static final IpRange THIS_NETWORK = IpRange.parse("0.0.0.0/8");
  private static final IpRange UNIQUE_LOCAL = IpRange.parse("fc00::/7");
  private static final IpRange BROADCAST = IpRange.parse("255.255.255.255");

  private final List<IpRange> allowed;
  private final Set<InetAddress> nodeAddresses;

  public ImportAddressPolicy(List<IpRange> allowed, Set<InetAddress> nodeAddresses) {
    this.allowed = List.copyOf(allowed);
    this.nodeAddresses = Set.copyOf(nodeAddresses);
  }

  /** Only public addresses: what a node with no --http-import-allow gets. */
  public static ImportAddressPolicy publicOnly(Set<InetAddress> nodeAddresses) {
    return new ImportAddressPolicy(List.of(), nodeAddresses);
  }

  /** Why the agent must not connect to {@code address}, or empty when it may. */
  public Optional<String> refusal(InetAddress address) {
    if (allowed.stream().anyMatch(range -> range.contains(address))) {
      return Optional.empty();
    }
    return kind(address).map(kind -> address.getHostAddress() + " is " + kind + "; this node imports from it only if"
        + " its administrator allows it (--http-import-allow" + (allowed.isEmpty() ? ")" : ", now " + allowedList() + ")"));
  }

  private Optional<String> kind(InetAddress address) {
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address (where cloud metadata services answer)");
    }
    if (address.isAnyLocalAddress() || THIS_NETWORK.contains(address)) {
      return Optional.of("an unspecified address");
    }
    if (address.isMulticastAddress() || BROADCAST.contains(address)) {
      return Optional.of("a multicast or broadcast address");
    }
    if (address.isSiteLocalAddress() || UNIQUE_LOCAL.contains(address) || SHARED.contains(address)) {
      return Optional.of("a private address");
    }
    if (nodeAddresses.contains(address)) {
      return Optional.of("an address of this node");
    }
    return Optional.empty();
  }

  private String allowedList() {
    return allowed.stream().map(IpRange::toString).collect(Collectors.joining(", "));
  }
}
