package io.kvmguest.agent.net;

import java.util.ArrayList;
import java.util.List;

/** Pure: the dnsmasq argv for a NAT bridge's DHCP server. */
public final class DnsmasqCommand {
  private DnsmasqCommand() {}

  public static List<String> argv(DhcpSettings s) {
    List<String> argv = new ArrayList<>(List.of(
        "dnsmasq",
        // Ignore /etc/dnsmasq.conf: a host's own dnsmasq setup must not leak into ours.
        "--conf-file=/dev/null",
        // DHCP only: no DNS server competing with the node's resolver.
        "--port=0",
        "--bind-interfaces",
        "--interface=" + LinkNames.require("bridge", s.bridge()),
        "--except-interface=lo",
        "--dhcp-authoritative",
        "--dhcp-range=" + s.rangeStart() + "," + s.rangeEnd() + "," + s.gateway().netmask() + ","
            + Math.max(120, s.leaseTime().toSeconds()),
        "--dhcp-option=option:router," + s.gateway().address(),
        "--dhcp-leasefile=" + s.leaseFile(),
        "--pid-file=" + s.pidFile(),
        "--log-facility=" + s.leaseFile().resolveSibling("dnsmasq-" + s.bridge() + ".log")));
    if (!s.dnsServers().isEmpty()) {
      argv.add("--dhcp-option=option:dns-server," + String.join(",", s.dnsServers()));
    }
    for (String value : argv) {
      // No shell is involved, but a stray newline or comma-laden path would still confuse dnsmasq.
      if (value.contains("\n") || value.contains(" ")) {
        throw new IllegalArgumentException("dnsmasq argument '" + value + "' contains whitespace; use paths without spaces");
      }
    }
    return argv;
  }
}
