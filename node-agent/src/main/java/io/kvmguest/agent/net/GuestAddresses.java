package io.kvmguest.agent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * A guest's IPv4 address by its NIC's MAC, without a guest agent: first from the NAT bridge's
 * DHCP leases, else from the bridge's neighbour table (which knows guests the node has talked to).
 * Best effort, for status: nothing found is an empty answer, not an error.
 */
public final class GuestAddresses {
  private final HostNetwork net;
  private final String bridge;
  private final Optional<Path> leaseFile;
  private final Clock clock;

  public GuestAddresses(HostNetwork net, String bridge, Optional<Path> leaseFile, Clock clock) {
    this.net = net;
    this.bridge = LinkNames.require("bridge", bridge);
    this.leaseFile = leaseFile;
    this.clock = clock;
  }

  /** For a config: NAT mode has a lease file; the other modes learn from the neighbour table only. */
  public static GuestAddresses forConfig(HostNetwork net, NetworkConfig config, Clock clock) {
    return new GuestAddresses(net, config.bridge(),
        config.mode() == NetworkMode.NAT ? Optional.of(config.leaseFile()) : Optional.empty(), clock);
  }

  public Optional<String> ipv4Of(String mac) {
    Optional<String> leased = leaseFile.flatMap(this::readLeases)
        .flatMap(leases -> DnsmasqLeases.addressOf(leases, mac, clock.instant()));
    return leased.isPresent() ? leased : fromNeighbours(mac);
  }

  private Optional<List<DnsmasqLeases.Lease>> readLeases(Path file) {
    try {
      return Optional.of(DnsmasqLeases.parse(Files.readString(file)));
    } catch (IOException e) {
      // No lease file yet (no guest asked) or unreadable: fall back to the neighbour table.
      return Optional.empty();
    }
  }

  private Optional<String> fromNeighbours(String mac) {
    if (net.link(bridge).isEmpty()) {
      return Optional.empty();
    }
    return net.neighbours(bridge).stream()
        .filter(n -> n.resolved() && n.mac().equalsIgnoreCase(mac))
        .map(Neighbour::address)
        .findFirst();
  }
}
