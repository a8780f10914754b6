package io.kvmguest.agent.cgroup;

import java.util.List;

/**
 * Where a guest's qemu lives. A qemu left in the agent's cgroup dies when the container runtime
 * stops the agent's container (it kills every process in that cgroup); one in a cgroup of its own
 * outlives it.
 */
public interface GuestCgroups {

  /** The mode this placement implements (never {@link CgroupMode#AUTO}). */
  CgroupMode mode();

  /** The command that starts qemu: {@code argv} itself, or wrapped so it starts in its own cgroup. */
  List<String> wrapLaunch(String guestId, List<String> argv);

  /**
   * Moves the running qemu {@code pid} (all its threads) into the guest's cgroup.
   *
   * @throws CgroupPlacementException when it could not be moved everywhere; it keeps running
   */
  void place(String guestId, long pid);

  /** Whether {@code pid} is already in the guest's cgroup (everywhere it would be placed). */
  boolean holds(String guestId, long pid);

  /** Removes the guest's cgroup once its qemu is gone; an absent one is fine. Never fails. */
  void release(String guestId);

  /** For the node agent: resolves AUTO against the real host. */
  static GuestCgroups forMode(CgroupMode mode, String parent) {
    return forMode(mode, parent, new LinuxCgroupFiles(), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
  }

  /**
   * {@code mode} as an implementation; AUTO picks systemd when the host's systemd runs and
   * systemd-run is on {@code searchPath}, else cgroupfs when a cgroup hierarchy is mounted and
   * writable, else none.
   */
  static GuestCgroups forMode(CgroupMode mode, String parent, CgroupFiles files, String searchPath) {
    CgroupName.require("--guest-cgroup-parent", parent);
    CgroupModeResolver resolver = new CgroupModeResolver(files, searchPath);
    return switch (resolver.resolve(mode)) {
      case SYSTEMD -> new SystemdGuestCgroups();
      case CGROUPFS -> new CgroupfsGuestCgroups(resolver.hierarchies(), parent, files);
      case NONE, AUTO -> new NoGuestCgroups();
    };
  }
}
