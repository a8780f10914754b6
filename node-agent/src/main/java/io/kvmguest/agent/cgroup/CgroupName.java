package io.kvmguest.agent.cgroup;

import java.util.regex.Pattern;

/**
 * A guest's uid or the parent name, checked before it becomes a directory under /sys/fs/cgroup
 * (and part of a systemd unit name): one path component of {@code [A-Za-z0-9_.-]}, never {@code ..}.
 */
public final class CgroupName {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

  private CgroupName() {}

  /** Whether {@code name} can be one path component under /sys/fs/cgroup. */
  public static boolean safe(String name) {
    return name != null && SAFE.matcher(name).matches() && !name.contains("..") && !name.equals(".");
  }

  /** Returns {@code name} when it is safe; {@code what} names it in the error ("guest uid"). */
  static String require(String what, String name) {
    if (!safe(name)) {
      throw new IllegalArgumentException(what + " \"" + name
          + "\" cannot name a cgroup: it must be made of A-Z a-z 0-9 _ . - and must not be . or contain ..");
    }
    return name;
  }
}
