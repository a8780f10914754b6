package io.kvmguest.agent.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** What the NAT bridge's DHCP server hands out, and where it keeps its leases and pid. */
public record DhcpSettings(
    String bridge, Ipv4Cidr gateway, String rangeStart, String rangeEnd, List<String> dnsServers, Duration leaseTime,
    Path leaseFile, Path pidFile) {

  public DhcpSettings {
    dnsServers = List.copyOf(dnsServers);
  }

  public static DhcpSettings of(NetworkConfig config) {
    return new DhcpSettings(config.bridge(), config.natGateway(), config.dhcpRangeStart(), config.dhcpRangeEnd(),
        config.dnsServers(), Duration.ofHours(1), config.leaseFile(), config.pidFile());
  }
}
