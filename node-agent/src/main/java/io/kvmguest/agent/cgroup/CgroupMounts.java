package io.kvmguest.agent.cgroup;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cgroup hierarchies in the text of {@code /proc/self/mountinfo}. A hierarchy mounted more than
 * once (a bind mount, a container's view of the host's tree) is listed once: mounts of one
 * hierarchy share a superblock, the {@code major:minor} field. Comounted controllers
 * ({@code cpu,cpuacct}) are one mount and so one hierarchy.
 */
public final class CgroupMounts {
  /** Super options of a v1 mount that are not controllers. */
  private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "all", "none", "noprefix", "xattr",
      "clone_children", "cpuset_v2_mode", "favordynmods");

  private CgroupMounts() {}

  public static List<CgroupHierarchy> parse(String mountinfo) {
    Map<String, CgroupHierarchy> bySuperblock = new LinkedHashMap<>();
    for (String line : mountinfo.split("\n")) {
      String[] fields = line.trim().split(" ");
      int dash = List.of(fields).indexOf("-");
      if (dash < 6 || fields.length < dash + 4) {
        continue;
      }
      String fsType = fields[dash + 1];
      if (!fsType.equals("cgroup") && !fsType.equals("cgroup2")) {
        continue;
      }
      CgroupHierarchy hierarchy = hierarchy(fsType.equals("cgroup2"), unescape(fields[3]), Path.of(unescape(fields[4])),
          fields[dash + 3]);
      String superblock = fields[2];
      CgroupHierarchy seen = bySuperblock.get(superblock);
      // the mount that shows the whole tree is the one a guest's cgroup can leave the container's from
      if (seen == null || (!seen.root().equals("/") && hierarchy.root().equals("/"))) {
        bySuperblock.put(superblock, hierarchy);
      }
    }
    return List.copyOf(bySuperblock.values());
  }

  private static CgroupHierarchy hierarchy(boolean v2, String root, Path mountPoint, String superOptions) {
    List<String> controllers = new ArrayList<>();
    String name = "";
    boolean noprefix = false;
    if (!v2) {
      for (String option : superOptions.split(",")) {
        if (option.startsWith("name=")) {
          name = option.substring("name=".length());
        } else if (option.equals("noprefix")) {
          noprefix = true;
        } else if (!option.isEmpty() && !option.contains("=") && !NOT_CONTROLLERS.contains(option)) {
          controllers.add(option);
        }
      }
    }
    return new CgroupHierarchy(mountPoint, root, controllers, name, v2, noprefix);
  }

  /** mountinfo writes space, tab, newline and backslash in paths as {@code \040}-style octal escapes. */
  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        bytes.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
