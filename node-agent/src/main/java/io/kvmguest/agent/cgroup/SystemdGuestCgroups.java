package io.kvmguest.agent.cgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Mode systemd: the host's systemd starts each qemu in a transient scope
 * {@code kvmguest-<uid>.scope} under machine.slice. systemd-run asks for the scope, then execs
 * qemu in place, so the qemu (and the pidfile in its command line) is the process that runs.
 * {@code --collect} lets systemd drop the scope once qemu is gone, so nothing is left to release.
 */
public final class SystemdGuestCgroups implements GuestCgroups {
  static final String SLICE = "machine.slice";

  @Override
  public CgroupMode mode() {
    return CgroupMode.SYSTEMD;
  }

  @Override
  public List<String> wrapLaunch(String guestId, List<String> argv) {
    List<String> wrapped = new ArrayList<>(List.of("systemd-run", "--scope", "--quiet", "--collect",
        "--slice=" + SLICE, "--unit=" + unitName(guestId), "--"));
    wrapped.addAll(argv);
    return List.copyOf(wrapped);
  }

  /** A checked uid is already a valid unit name: letters, digits, {@code _ . -}. */
  static String unitName(String guestId) {
    return "kvmguest-" + CgroupName.require("guest uid", guestId);
  }

  @Override
  public void place(String guestId, long pid) {
    CgroupName.require("guest uid", guestId);
  }

  /**
   * Always true: a scope is made only for a process systemd-run starts, so a guest started by an
   * older agent cannot be moved into one here; it stays where it is.
   */
  @Override
  public boolean holds(String guestId, long pid) {
    return true;
  }

  @Override
  public void release(String guestId) {}
}
