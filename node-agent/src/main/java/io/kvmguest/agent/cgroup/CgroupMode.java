package io.kvmguest.agent.cgroup;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the agent puts each qemu it starts. A guest in a cgroup of its own outlives the agent's
 * container: a container runtime that stops the agent kills every process left in its cgroup.
 */
public enum CgroupMode {
  /** systemd when the host's systemd is reachable, else cgroupfs when /sys/fs/cgroup is writable, else none. */
  AUTO,
  /** A transient scope under machine.slice, made by the host's systemd (systemd-run --scope). */
  SYSTEMD,
  /** A directory of its own in every mounted cgroup hierarchy (v1 and v2). */
  CGROUPFS,
  /** qemu stays in the agent's cgroup (a bare-metal agent that is not stopped by cgroup). */
  NONE;

  /** The flag value: lower case. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static CgroupMode parse(String value) {
    for (CgroupMode mode : values()) {
      if (mode.flagValue().equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("--guest-cgroups must be one of "
        + Arrays.stream(values()).map(CgroupMode::flagValue).collect(Collectors.joining(", ")) + ", got \"" + value + "\"");
  }
}
