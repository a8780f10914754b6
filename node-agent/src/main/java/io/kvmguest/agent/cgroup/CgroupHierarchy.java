package io.kvmguest.agent.cgroup;

import java.nio.file.Path;
import java.util.List;

/**
 * One mounted cgroup hierarchy: a v1 one (its controllers, or a named one such as
 * {@code name=systemd}) or the v2 tree.
 *
 * @param mountPoint where it is mounted
 * @param root the cgroup of the hierarchy that is mounted there ({@code /} for the whole tree)
 * @param controllers the v1 controllers, such as {@code [cpu, cpuacct]}; empty for v2 and named hierarchies
 * @param name the v1 {@code name=} option, or empty
 * @param v2 whether it is cgroup2
 * @param noprefix a v1 mount with {@code noprefix}: cpuset's files are {@code cpus}, {@code mems}
 */
public record CgroupHierarchy(Path mountPoint, String root, List<String> controllers, String name, boolean v2,
    boolean noprefix) {

  public CgroupHierarchy {
    controllers = List.copyOf(controllers);
  }

  /** A new v1 cpuset cgroup takes no process until its cpus and mems are set. */
  public boolean needsCpusetCopy() {
    return !v2 && controllers.contains("cpuset");
  }

  public String cpusetFile(String which) {
    return noprefix ? which : "cpuset." + which;
  }

  /** For logs: {@code cpu,cpuacct}, {@code name=systemd} or {@code unified}. */
  public String label() {
    if (v2) {
      return "unified";
    }
    if (!name.isEmpty()) {
      return controllers.isEmpty() ? "name=" + name : String.join(",", controllers) + ",name=" + name;
    }
    return String.join(",", controllers);
  }
}
