package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsmasqCommandTest {
  @Test
  void argvForTheDefaultNatNetwork() {
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, Path.of("/var/lib/kvmguest/net"));

    assertEquals(List.of(
        "dnsmasq",
        "--conf-file=/dev/null",
        "--port=0",
        "--bind-interfaces",
        "--interface=br0",
        "--except-interface=lo",
        "--dhcp-authoritative",
        "--dhcp-range=10.88.0.2,10.88.0.254,255.255.255.0,3600",
        "--dhcp-option=option:router,10.88.0.1",
        "--dhcp-leasefile=/var/lib/kvmguest/net/dnsmasq-br0.leases",
        "--pid-file=/var/lib/kvmguest/net/dnsmasq-br0.pid",
        "--log-facility=/var/lib/kvmguest/net/dnsmasq-br0.log"), DnsmasqCommand.argv(DhcpSettings.of(config)));
  }

  @Test
  void dnsServersAndOtherSubnets() {
    NetworkConfig config = new NetworkConfig(NetworkMode.NAT, "kvgnat0", "eth0", Ipv4Cidr.parse("172.30.4.0/22"),
        List.of("1.1.1.1", "9.9.9.9"), Path.of("/s"), java.time.Duration.ofSeconds(5));

    List<String> argv = DnsmasqCommand.argv(DhcpSettings.of(config));

    assertEquals("--dhcp-range=172.30.4.2,172.30.7.254,255.255.252.0,3600", argv.get(7));
    assertEquals("--dhcp-option=option:dns-server,1.1.1.1,9.9.9.9", argv.get(argv.size() - 1));
  }

  @Test
  void rejectsPathsWithSpaces() {
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, Path.of("/var/lib/my state"));
    assertThrows(IllegalArgumentException.class, () -> DnsmasqCommand.argv(DhcpSettings.of(config)));
  }
}
