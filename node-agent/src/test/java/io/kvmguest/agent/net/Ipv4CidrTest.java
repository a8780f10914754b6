package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class Ipv4CidrTest {
  @Test
  void subnetArithmetic() {
    Ipv4Cidr a = Ipv4Cidr.parse("192.168.1.10/24");
    assertEquals(Ipv4Cidr.parse("192.168.1.0/24"), a.subnet());
    assertEquals("255.255.255.0", a.netmask());
    assertEquals("192.168.1.255", a.broadcast());
    assertEquals(Ipv4Cidr.parse("192.168.1.1/24"), a.host(1));
    assertTrue(a.contains("192.168.1.1"));
    assertFalse(a.contains("192.168.2.1"));
    assertEquals("10.88.3.255", Ipv4Cidr.parse("10.88.0.0/22").broadcast());
    assertEquals("0.0.0.0", Ipv4Cidr.parse("10.0.0.1/0").netmask());
    assertEquals("192.168.1.10/24", a.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "10.0.0.256/24", "10.0.0.1/33", "10.0.0/24", "a.b.c.d/8", "10.0.0.1/x", " 10.0.0.1/24"})
  void rejectsWhatIsNotACidr(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse(text));
    assertTrue(e.getMessage().contains("IPv4"), e.getMessage());
  }

  @Test
  void hostOutsideTheSubnetIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Ipv4Cidr.parse("10.0.0.0/30").host(4));
  }
}
