package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {
  private final NetworkConfig defaults = NetworkConfig.defaults(NetworkMode.NAT, Path.of("/state"));

  @Test
  void defaults() {
    assertEquals("br0", defaults.bridge());
    assertEquals("eth0", defaults.uplink());
    assertEquals(Ipv4Cidr.parse("10.88.0.1/24"), defaults.natGateway());
    assertEquals("10.88.0.2", defaults.dhcpRangeStart());
    assertEquals("10.88.0.254", defaults.dhcpRangeEnd());
    assertEquals(Path.of("/state/dnsmasq-br0.leases"), defaults.leaseFile());
  }

  @Test
  void subnetIsNormalised() {
    assertEquals(Ipv4Cidr.parse("10.1.2.0/24"), defaults.withNatSubnet(Ipv4Cidr.parse("10.1.2.77/24")).natSubnet());
  }

  @Test
  void modesParseAndNameTheAllowedValues() {
    assertEquals(NetworkMode.MANAGED, NetworkMode.parse(" Managed "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetworkMode.parse("bridged"));
    assertEquals("network mode 'bridged' is not one of existing, managed, nat", e.getMessage());
  }

  @Test
  void rejectsBadSettingsWithClearMessages() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.withBridge("br0; reboot"))
        .getMessage().startsWith("bridge 'br0; reboot' is not a valid link name"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.withBridge("eth0"))
        .getMessage().contains("must differ"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.withNatSubnet(Ipv4Cidr.parse("10.0.0.0/31")))
        .getMessage().contains("8..29"));
  }
}
