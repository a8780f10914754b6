package io.kvmguest.agent.cgroup;

import java.util.List;

/** Mode none: qemu stays in the agent's cgroup (an agent that no container runtime stops by cgroup). */
public final class NoGuestCgroups implements GuestCgroups {

  @Override
  public CgroupMode mode() {
    return CgroupMode.NONE;
  }

  @Override
  public List<String> wrapLaunch(String guestId, List<String> argv) {
    return argv;
  }

  @Override
  public void place(String guestId, long pid) {}

  @Override
  public boolean holds(String guestId, long pid) {
    return true;
  }

  @Override
  public void release(String guestId) {}
}
