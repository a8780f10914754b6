package io.kvmguest.api.v1alpha1;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/** Parsing and checking of MAC addresses, shared by the schema, the validator and MAC generation. */
public final class MacAddresses {
  private MacAddresses() {}

  /** Six colon-separated hex octets. */
  public static final String PATTERN = "^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$";

  /** The Xen OUI the seed's macgen used; generated MACs start with it unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "00:16:3e";

  /** Why {@code mac} cannot be a guest NIC's address, or empty when it can. */
  public static Optional<String> problem(String mac) {
    if (mac == null || !mac.matches(PATTERN)) {
      return Optional.of("must be six colon-separated hex octets such as 00:16:3e:51:fb:ce");
    }
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) == 1) {
      return Optional.of("is a multicast address (lowest bit of the first octet set); use a unicast one such as 00:16:3e:51:fb:ce");
    }
    if (normalize(mac).equals("00:00:00:00:00:00")) {
      return Optional.of("must not be all zeros");
    }
    return Optional.empty();
  }

  /**
   * A stable MAC under {@link #DEFAULT_PREFIX} derived from {@code seed}, first random octet at most
   * 0x7f as in the seed's macgen: for a guest no operator assigned one to (a node agent run from
   * files). Distinct seeds can collide, unlike the operator's allocation.
   */
  public static String derived(String seed) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      return String.format("%s:%02x:%02x:%02x", DEFAULT_PREFIX, hash[0] & 0x7f, hash[1] & 0xff, hash[2] & 0xff);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Lower-case form, so that 00:16:3E:.. and 00:16:3e:.. compare equal. */
  public static String normalize(String mac) {
    return mac.toLowerCase(Locale.ROOT);
  }
}
