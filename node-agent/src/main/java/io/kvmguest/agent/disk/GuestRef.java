package io.kvmguest.agent.disk;

import java.util.regex.Pattern;

/**
 * Which guest object storage belongs to. The uid makes a guest deleted and re-created under the
 * same name a new guest with fresh disks.
 */
public record GuestRef(String namespace, String name, String uid) {
  // Kubernetes names are DNS subdomains and uids UUIDs: neither holds '_' or '/', so the
  // directory name is unambiguous and cannot step out of guests/.
  private static final Pattern K8S_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9][-A-Za-z0-9]*");
  private static final int NAME_MAX = 255;

  public GuestRef {
    require(namespace, K8S_NAME, "namespace");
    require(name, K8S_NAME, "name");
    require(uid, UID, "uid");
  }

  /**
   * {@code <namespace>_<name>_<uid>}. A long name is cut so the result fits a file name (255 bytes);
   * the uid at the end keeps it unique.
   */
  public String dirName() {
    String full = namespace + "_" + name + "_" + uid;
    if (full.length() <= NAME_MAX) {
      return full;
    }
    int keep = Math.max(0, name.length() - (full.length() - NAME_MAX));
    return namespace + "_" + name.substring(0, keep) + "_" + uid;
  }

  @Override
  public String toString() {
    return namespace + "/" + name + " (uid " + uid + ")";
  }

  private static void require(String value, Pattern pattern, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("guest " + what + " \"" + value + "\" is not a valid Kubernetes " + what);
    }
  }
}
