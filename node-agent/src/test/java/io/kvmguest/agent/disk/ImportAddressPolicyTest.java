package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImportAddressPolicyTest {
  private static final InetAddress NODE = ip("203.0.113.7");
  private final ImportAddressPolicy publicOnly = ImportAddressPolicy.publicOnly(Set.of(NODE));

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "fe80::1", "10.1.2.3", "172.16.0.1",
      "192.168.1.1", "100.64.0.1", "fd00::1", "0.0.0.0", "::", "224.0.0.1", "255.255.255.255", "::ffff:127.0.0.1",
      "203.0.113.7"})
  void nonPublicAddressesAndTheNodesOwnAreRefusedByDefault(String address) {
    assertTrue(publicOnly.refusal(ip(address)).isPresent(), address);
  }

  @Test
  void publicAddressesAreAllowed() {
    assertEquals(Optional.empty(), publicOnly.refusal(ip("151.101.2.132")));
    assertEquals(Optional.empty(), publicOnly.refusal(ip("2a04:4e42::644")));
  }

  @Test
  void theRefusalSaysWhatTheAddressIsAndWhichFlagAllowsIt() {
    assertEquals("169.254.169.254 is a link-local address (where cloud metadata services answer); this node imports from it"
        + " only if its administrator allows it (--http-import-allow)", publicOnly.refusal(ip("169.254.169.254")).orElseThrow());
  }

  @Test
  void anAllowedRangeOpensExactlyThatRange() {
    ImportAddressPolicy mirror = new ImportAddressPolicy(List.of(IpRange.parse("10.20.0.0/16"), IpRange.parse("fd00::/8")), Set.of());

    assertEquals(Optional.empty(), mirror.refusal(ip("10.20.3.4")));
    assertEquals(Optional.empty(), mirror.refusal(ip("fd12::1")));
    assertEquals(Optional.of("10.21.0.1 is a private address; this node imports from it only if its administrator allows it"
        + " (--http-import-allow, now 10.20.0.0/16, fd00:0:0:0:0:0:0:0/8)"), mirror.refusal(ip("10.21.0.1")));
    assertTrue(mirror.refusal(ip("169.254.169.254")).isPresent());
  }

  @Test
  void rangesAreLiteralsNeverHostNames() {
    assertEquals("127.0.0.1/32", IpRange.parse("127.0.0.1").toString());
    for (String bad : new String[] {"localhost", "10.0.0.0/33", "10.0.0.0/x", "", "example.com/8"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpRange.parse(bad), bad);
      assertTrue(e.getMessage().contains("is not a CIDR block such as 10.0.0.0/8"), e.getMessage());
    }
  }

  private static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
