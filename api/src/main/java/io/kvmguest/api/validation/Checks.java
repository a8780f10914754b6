package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.Enums;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks of single values that several rules need. Each returns what is wrong, or empty. */
final class Checks {
  private Checks() {}

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final int DNS_LABEL_MAX = 63;
  private static final int DNS_SUBDOMAIN_MAX = 253;

  /** RFC 1123 label, as Kubernetes requires for names that become host objects. */
  static Optional<String> dnsLabel(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is required: a DNS label (lower-case letters, digits and '-', at most 63 characters)");
    }
    if (name.length() > DNS_LABEL_MAX || !DNS_LABEL.matcher(name).matches()) {
      return Optional.of("\"" + printable(name) + "\" is not a DNS label: use lower-case letters, digits and '-', start and end with a letter or digit, at most 63 characters");
    }
    return Optional.empty();
  }

  /** RFC 1123 subdomain (the form of Secret names). */
  static Optional<String> dnsSubdomain(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("is required: a Kubernetes object name");
    }
    if (name.length() > DNS_SUBDOMAIN_MAX) {
      return Optional.of("is longer than 253 characters");
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty() || !DNS_LABEL.matcher(label).matches()) {
        return Optional.of("\"" + printable(name) + "\" is not a valid object name: use lower-case letters, digits, '-' and '.'");
      }
    }
    return Optional.empty();
  }

  /**
   * A path on the node that goes into a qemu option string. Commas are refused outright rather
   * than escaped, so that an allowlist check on the path sees exactly what qemu opens.
   */
  static Optional<String> hostPath(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("is required: an absolute path on the node");
    }
    if (path.indexOf('\0') >= 0) {
      return Optional.of("must not contain NUL characters");
    }
    if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      return Optional.of("must not contain newlines or other control characters");
    }
    if (!path.startsWith("/")) {
      return Optional.of("\"" + printable(path) + "\" is relative: use an absolute path such as /var/lib/images/disk.img");
    }
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return Optional.of("\"" + printable(path) + "\" contains '..': use a path without parent-directory steps");
      }
    }
    if (path.indexOf(',') >= 0) {
      return Optional.of("\"" + printable(path) + "\" contains a comma, which qemu reads as an option separator: rename the file");
    }
    return Optional.empty();
  }

  /** An enumerated value, with the allowed ones named. */
  static Optional<String> oneOf(Class<? extends Enum<?>> type, String value) {
    if (Enums.allows(type, value)) {
      return Optional.empty();
    }
    return Optional.of("\"" + printable(value) + "\" is not supported: allowed values are " + String.join(", ", Enums.names(type)));
  }

  /** Control characters shown escaped, so an error message cannot forge log lines. */
  static String printable(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    value.codePoints().forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
