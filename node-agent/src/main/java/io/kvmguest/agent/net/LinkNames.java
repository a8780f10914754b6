package io.kvmguest.agent.net;

import java.util.regex.Pattern;

/** Checks names of bridges, uplinks and taps before they reach {@code ip}'s argv. */
public final class LinkNames {
  private LinkNames() {}

  /** The kernel allows 15 bytes (IFNAMSIZ - 1); we also keep to characters safe everywhere. */
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

  public static String require(String what, String name) {
    if (name == null || !VALID.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " '" + name + "' is not a valid link name: 1-15 characters of"
          + " letters, digits, '_', '.', '-', starting with a letter or digit");
    }
    return name;
  }
}
