package io.kvmguest.api.cli;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.validation.Quantities;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A flag's text turned into its value, or an IllegalArgumentException that names the flag, what it
 * accepts and what it got: the one message style of all three programs' command lines.
 */
public final class FlagValues {
  private FlagValues() {}

  /** A port from {@code min} (0: pick a free one, -1: off) to 65535. */
  public static int port(String flag, String value, int min) {
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "a port number from " + min + " to 65535", value);
  }

  /** A whole number from {@code min} to {@code max}. */
  public static int wholeNumber(String flag, String value, int min, int max) {
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "a whole number from " + min + " to " + max, value);
  }

  /** Whole seconds from {@code min} to 3600. */
  public static Duration wholeSeconds(String flag, String value, long min) {
    try {
      long seconds = Long.parseLong(value.trim());
      if (seconds >= min && seconds <= 3600) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "whole seconds from " + min + " to 3600", value);
  }

  /** Seconds, fractions allowed, more than 0. */
  public static Duration positiveSeconds(String flag, String value) {
    try {
      double seconds = Double.parseDouble(value.trim());
      if (seconds > 0 && seconds <= Long.MAX_VALUE / 1000.0) {
        Duration duration = Duration.ofMillis(Math.round(seconds * 1000));
        if (!duration.isZero()) {
          return duration;
        }
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "a positive number of seconds", value);
  }

  /** A finite number of at least {@code min}. */
  public static double atLeast(String flag, String value, double min) {
    try {
      double number = Double.parseDouble(value.trim());
      if (Double.isFinite(number) && number >= min) {
        return number;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "a number of at least " + min, value);
  }

  /** One of {@code allowed}'s keys (lower case, as typed), in the order the map lists them. */
  public static <T> T oneOf(String flag, String value, Map<String, T> allowed) {
    T chosen = allowed.get(value);
    if (chosen == null) {
      throw bad(flag, "one of " + String.join(", ", allowed.keySet()), value);
    }
    return chosen;
  }

  /** A literal IPv4 or IPv6 address (no host names: nothing is looked up), normalized. */
  public static String ipAddress(String flag, String value) {
    if (value.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      try {
        return InetAddress.getByName(value).getHostAddress();
      } catch (UnknownHostException e) {
        // fall through to the message
      }
    }
    throw bad(flag, "an IP address", value);
  }

  /** A Kubernetes quantity of bytes, such as 512Mi or 2Gi, not negative. */
  public static long bytes(String flag, String value) {
    Optional<BigDecimal> bytes;
    try {
      bytes = value.isBlank() ? Optional.empty() : Quantities.bytes(new Quantity(value));
    } catch (RuntimeException e) {
      bytes = Optional.empty();
    }
    if (bytes.isEmpty() || bytes.get().signum() < 0) {
      throw bad(flag, "a Kubernetes quantity such as 512Mi or 2Gi", value);
    }
    return bytes.get().longValue();
  }

  /** {@code parse}'s value; its complaint, if any, is prefixed with the flag. */
  public static <T> T parsed(String flag, String value, Function<String, T> parse) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage());
    }
  }

  public static IllegalArgumentException bad(String flag, String accepted, String value) {
    return new IllegalArgumentException(flag + " must be " + accepted + ", got \"" + value + "\"");
  }
}
