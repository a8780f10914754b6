package io.kvmguest.agent.supervise;

import io.kvmguest.agent.cgroup.CgroupMode;
import io.kvmguest.agent.cgroup.CgroupPlacementException;
import io.kvmguest.agent.cgroup.GuestCgroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link GuestCgroups} that records what the supervisor asks of it. It wraps a launch in
 * {@code env} (which execs the rest), so the wrapped command still starts the fake qemu.
 */
final class RecordingGuestCgroups implements GuestCgroups {
  final List<String> calls = new CopyOnWriteArrayList<>();
  /** The pid each guest was placed with. */
  final Map<String, Long> placed = new ConcurrentHashMap<>();
  final List<List<String>> launched = new CopyOnWriteArrayList<>();
  volatile boolean failPlacement;

  @Override
  public CgroupMode mode() {
    return CgroupMode.CGROUPFS;
  }

  @Override
  public List<String> wrapLaunch(String guestId, List<String> argv) {
    calls.add("wrap " + guestId);
    List<String> wrapped = new ArrayList<>(List.of("env", "--"));
    wrapped.addAll(argv);
    launched.add(wrapped);
    return wrapped;
  }

  @Override
  public void place(String guestId, long pid) {
    calls.add("place " + guestId + " " + pid);
    if (failPlacement) {
      throw new CgroupPlacementException("memory at /sys/fs/cgroup/memory/kvmguest/" + guestId + ": Permission denied");
    }
    placed.put(guestId, pid);
  }

  @Override
  public boolean holds(String guestId, long pid) {
    calls.add("holds " + guestId + " " + pid);
    return Long.valueOf(pid).equals(placed.get(guestId));
  }

  @Override
  public void release(String guestId) {
    calls.add("release " + guestId);
    placed.remove(guestId);
  }
}
