package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TapNamesTest {
  private static final String UID = "6f1c2a9e-3b7d-4c1e-9a51-2d0c8e7f4b10";

  @Test
  void stableKnownValue() {
    // Pinned: changing the scheme would orphan every tap on upgraded nodes.
    assertEquals("kvg" + sha256Prefix(UID + "\0" + "eth0"), TapNames.forNic(UID, "eth0"));
    assertEquals(TapNames.forNic(UID, "eth0"), TapNames.forNic(UID, "eth0"));
  }

  @Test
  void fitsTheKernelLimitAndIsAValidLinkName() {
    String name = TapNames.forNic(UID, "a-very-long-interface-name-for-a-guest");
    assertEquals(11, name.length());
    assertTrue(name.length() <= 15);
    assertEquals(name, LinkNames.require("tap", name));
    assertTrue(TapNames.isTapName(name));
  }

  @Test
  void differsPerNicAndPerGuest() {
    assertNotEquals(TapNames.forNic(UID, "eth0"), TapNames.forNic(UID, "eth1"));
    assertNotEquals(TapNames.forNic(UID, "eth0"), TapNames.forNic(UID.replace('6', '7'), "eth0"));
    assertNotEquals(TapNames.forNic("ab", "c"), TapNames.forNic("a", "bc"));
  }

  @Test
  void recognisesOnlyOurNames() {
    assertFalse(TapNames.isTapName("br0"));
    assertFalse(TapNames.isTapName("kvg1234567"));
    assertFalse(TapNames.isTapName("kvgABCDEF12"));
  }

  @Test
  void rejectsMissingInputs() {
    assertThrows(IllegalArgumentException.class, () -> TapNames.forNic("", "eth0"));
    assertThrows(IllegalArgumentException.class, () -> TapNames.forNic(UID, null));
  }

  private static String sha256Prefix(String s) {
    try {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(h).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
