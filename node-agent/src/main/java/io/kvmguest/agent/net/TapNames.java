package io.kvmguest.agent.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Pure: the tap device name of a guest's NIC, {@code kvg} + 8 hex digits of a hash of the guest's
 * uid and the NIC's name. Stable across agent restarts (so taps are found again), within the
 * kernel's 15 characters, and recognisable as ours when cleaning up orphans.
 */
public final class TapNames {
  private TapNames() {}

  public static final String PREFIX = "kvg";
  private static final Pattern OURS = Pattern.compile(PREFIX + "[0-9a-f]{8}");

  public static String forNic(String guestUid, String nicName) {
    if (guestUid == null || guestUid.isBlank() || nicName == null || nicName.isBlank()) {
      throw new IllegalArgumentException("a tap name needs the guest uid and the NIC name, got '" + guestUid
          + "' and '" + nicName + "'");
    }
    try {
      // The NUL keeps ("ab", "c") and ("a", "bc") apart.
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest((guestUid + "\0" + nicName).getBytes(StandardCharsets.UTF_8));
      return PREFIX + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /** Whether a link name looks like one of our taps. */
  public static boolean isTapName(String linkName) {
    return OURS.matcher(linkName).matches();
  }
}
