package io.kvmguest.agent.disk;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One {@code --allowed-device} entry: {@code PATH} or {@code PATH=NS1,NS2}. A path ending in '/'
 * grants every device under it, any other path exactly that device. With namespaces, only guests
 * in those namespaces may attach it; without, guests of every namespace may, which is for nodes
 * whose tenants are all trusted with the device: a block device is node-wide, and any namespace's
 * guest could otherwise read or overwrite another tenant's data on it. Pure.
 */
public record DeviceGrant(String path, Set<String> namespaces) {
  /** A Kubernetes namespace name (RFC 1123 label). */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  public DeviceGrant {
    namespaces = Set.copyOf(namespaces);
  }

  /** Parses {@code entry}; errors name {@code what} (the flag or setting) and the syntax allowed. */
  public static DeviceGrant parse(String what, String entry) {
    int eq = entry.indexOf('=');
    String path = eq < 0 ? entry : entry.substring(0, eq);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(what + " entry \"" + entry + "\": the device path must be absolute; allowed: PATH or"
          + " PATH=NAMESPACE[,NAMESPACE...]");
    }
    if (eq < 0) {
      return new DeviceGrant(path, Set.of());
    }
    Set<String> namespaces = new TreeSet<>(Arrays.asList(entry.substring(eq + 1).split(",", -1)));
    for (String ns : namespaces) {
      if (!NAMESPACE.matcher(ns).matches()) {
        throw new IllegalArgumentException(what + " entry \"" + entry + "\": \"" + ns + "\" is not a namespace name"
            + " (lower-case letters, digits and '-', 1 to 63); allowed: PATH or PATH=NAMESPACE[,NAMESPACE...]");
      }
    }
    return new DeviceGrant(path, namespaces);
  }

  /** Whether {@code candidate} (normalized) is this entry's device or, for a directory entry, under it. */
  public boolean covers(String candidate) {
    return path.endsWith("/")
        ? candidate.startsWith(path) && candidate.length() > path.length()
        : candidate.equals(java.nio.file.Path.of(path).normalize().toString());
  }

  public boolean grants(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }

  /** "/dev/vg0/*" or "/dev/sdb (tenant-a, tenant-b)", for messages. */
  public String describe() {
    String shown = path.endsWith("/") ? path + "*" : path;
    return namespaces.isEmpty() ? shown : shown + " (" + String.join(", ", new TreeSet<>(namespaces)) + ")";
  }
}
