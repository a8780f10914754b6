package io.kvmguest.agent.net;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure: dnsmasq's lease file. One IPv4 lease per line:
 * {@code <expiry epoch seconds, 0 = never> <mac> <ip> <hostname or *> <client id or *>};
 * DHCPv6 lines (after a {@code duid} line) are skipped.
 */
public final class DnsmasqLeases {
  private DnsmasqLeases() {}

  public record Lease(Optional<Instant> expiry, String mac, String ip, Optional<String> hostname) {
    public boolean activeAt(Instant now) {
      return expiry.map(e -> e.isAfter(now)).orElse(true);
    }
  }

  public static List<Lease> parse(String text) {
    List<Lease> leases = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 4 || !f[1].matches("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}")) {
        continue;
      }
      try {
        Ipv4Cidr.toInt(f[2]);
        long expiry = Long.parseLong(f[0]);
        leases.add(new Lease(expiry == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expiry)),
            f[1].toLowerCase(), f[2], f[3].equals("*") ? Optional.empty() : Optional.of(f[3])));
      } catch (IllegalArgumentException e) {
        // Not an IPv4 lease line: dnsmasq writes IPv6 leases in the same file.
      }
    }
    return leases;
  }

  /** The address of the newest active lease of {@code mac}. */
  public static Optional<String> addressOf(List<Lease> leases, String mac, Instant now) {
    return leases.stream()
        .filter(l -> l.mac().equalsIgnoreCase(mac) && l.activeAt(now))
        .max((a, b) -> a.expiry().orElse(Instant.MAX).compareTo(b.expiry().orElse(Instant.MAX)))
        .map(Lease::ip);
  }
}
