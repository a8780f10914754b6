package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A guest's IPv4 address by its NIC's MAC, without a guest agent: first from the NAT bridge's
 * DHCP leases, else from the bridge's neighbour table (which knows guests the node has talked to).
 * A lease only says what dnsmasq offered: its address is reported once the guest answers ARP for
 * it with that MAC, so a status IP is one the guest really holds (a guest slow to bind its lease
 * under load was reported too early). Best effort, for status: nothing found is an empty answer.
 */
public final class GuestAddresses {
  /** How often an unanswered lease is probed again: a probe may wait a second for its answer. */
  static final Duration PROBE_EVERY = Duration.ofSeconds(2);

  /**
   * How long one read of the neighbour table serves every guest's status: a burst of guests would
   * otherwise spawn an {@code ip} per guest per report while they start. A probe reads it anew.
   */
  static final Duration NEIGHBOURS_FRESH_FOR = Duration.ofMillis(500);

  private record Probe(String ip, Instant at) {}

  private record NeighbourTable(Instant readAt, List<Neighbour> entries) {}

  private final Map<String, Probe> lastProbe = new ConcurrentHashMap<>();
  private final HostNetwork net;
  private final String bridge;
  private final Optional<Path> leaseFile;
  private final Clock clock;
  private NeighbourTable lastRead; // guarded by this

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
    return leased.isPresent() ? leased.filter(ip -> holds(mac, ip)) : answeredFor(mac).stream().findFirst();
  }

  /** Whether the guest answered ARP for {@code ip} with {@code mac}; probes now and then until it does. */
  private boolean holds(String mac, String ip) {
    if (answered(mac, ip)) {
      return true;
    }
    Instant now = clock.instant();
    Probe last = lastProbe.get(mac);
    if (last != null && last.ip().equals(ip) && now.isBefore(last.at().plus(PROBE_EVERY))) {
      return false;
    }
    lastProbe.put(mac, new Probe(ip, now));
    net.probe(bridge, ip);
    return answeredFor(mac, neighbours(true)).contains(ip);
  }

  private boolean answered(String mac, String ip) {
    return answeredFor(mac).contains(ip);
  }

  /** The addresses the bridge's neighbour table has {@code mac} answering for. */
  private List<String> answeredFor(String mac) {
    return answeredFor(mac, neighbours(false));
  }

  private static List<String> answeredFor(String mac, List<Neighbour> table) {
    return table.stream().filter(n -> n.resolved() && n.mac().equalsIgnoreCase(mac)).map(Neighbour::address).toList();
  }

  /** The bridge's neighbour table, read anew when {@code fresh} or when the last read is too old; empty without the bridge. */
  private synchronized List<Neighbour> neighbours(boolean fresh) {
    Instant now = clock.instant();
    if (!fresh && lastRead != null && now.isBefore(lastRead.readAt().plus(NEIGHBOURS_FRESH_FOR))) {
      return lastRead.entries();
    }
    List<Neighbour> entries;
    try {
      entries = net.neighbours(bridge);
    } catch (CommandFailedException noBridge) {
      entries = List.of();
    }
    lastRead = new NeighbourTable(now, entries);
    return entries;
  }

  private Optional<List<DnsmasqLeases.Lease>> readLeases(Path file) {
    try {
      return Optional.of(DnsmasqLeases.parse(Files.readString(file)));
    } catch (IOException e) {
      // No lease file yet (no guest asked) or unreadable: fall back to the neighbour table.
      return Optional.empty();
    }
  }
}
