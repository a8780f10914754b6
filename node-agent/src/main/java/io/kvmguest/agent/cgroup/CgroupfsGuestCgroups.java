package io.kvmguest.agent.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode cgroupfs: each qemu gets {@code <mount>/<parent>/<uid>} in every mounted hierarchy, v1 and
 * v2 alike. A container runtime kills what is left in the container's cgroup in any one
 * hierarchy, so a guest is safe only when it has left all of them.
 */
public final class CgroupfsGuestCgroups implements GuestCgroups {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupfsGuestCgroups.class);
  private static final String PROCS = "cgroup.procs";

  private final List<CgroupHierarchy> hierarchies;
  private final String parent;
  private final CgroupFiles files;
  private final Duration busyWait;

  public CgroupfsGuestCgroups(List<CgroupHierarchy> hierarchies, String parent, CgroupFiles files) {
    this(hierarchies, parent, files, Duration.ofSeconds(1));
  }

  /**
   * {@code busyWait}: how long release retries a cgroup that still holds a process; a qemu that is
   * gone to the agent (a zombie) leaves its cgroup only once init has reaped it.
   */
  public CgroupfsGuestCgroups(List<CgroupHierarchy> hierarchies, String parent, CgroupFiles files, Duration busyWait) {
    this.hierarchies = List.copyOf(hierarchies);
    this.parent = CgroupName.require("cgroup parent", parent);
    this.files = files;
    this.busyWait = busyWait;
    if (this.hierarchies.isEmpty()) {
      LOG.warn("guest cgroups: cgroupfs, but no cgroup hierarchy is mounted; guests stay in the agent's cgroup");
    }
    for (CgroupHierarchy h : this.hierarchies) {
      if (!h.root().equals("/")) {
        LOG.warn("cgroup hierarchy {} at {} shows only {} of the host's tree (a cgroup namespace): a guest placed "
            + "there stays inside it; mount the host's /sys/fs/cgroup", h.label(), h.mountPoint(), h.root());
      }
    }
  }

  @Override
  public CgroupMode mode() {
    return CgroupMode.CGROUPFS;
  }

  @Override
  public List<String> wrapLaunch(String guestId, List<String> argv) {
    CgroupName.require("guest uid", guestId);
    return argv;
  }

  @Override
  public void place(String guestId, long pid) {
    CgroupName.require("guest uid", guestId);
    if (hierarchies.isEmpty()) {
      throw new CgroupPlacementException("no cgroup hierarchy is mounted (none in /proc/self/mountinfo)");
    }
    List<String> failures = new ArrayList<>();
    for (CgroupHierarchy h : hierarchies) {
      try {
        placeIn(h, guestId, pid);
      } catch (IOException e) {
        failures.add(h.label() + " at " + guestDir(h, guestId) + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new CgroupPlacementException("qemu pid " + pid + " of guest " + guestId
          + " is still in the agent's cgroup in " + String.join("; ", failures));
    }
  }

  private void placeIn(CgroupHierarchy h, String guestId, long pid) throws IOException {
    Path parentDir = h.mountPoint().resolve(parent);
    Path guestDir = parentDir.resolve(guestId);
    files.makeDirectory(parentDir);
    if (h.needsCpusetCopy()) {
      inheritCpuset(h, h.mountPoint(), parentDir);
    }
    files.makeDirectory(guestDir);
    if (h.needsCpusetCopy()) {
      inheritCpuset(h, parentDir, guestDir);
    }
    // one pid in cgroup.procs moves the whole process, every thread
    files.write(guestDir.resolve(PROCS), pid + "\n");
  }

  /** A v1 cpuset cgroup starts with no cpus and no mems and refuses processes until it has some. */
  private void inheritCpuset(CgroupHierarchy h, Path from, Path to) throws IOException {
    for (String which : List.of("cpus", "mems")) {
      Path target = to.resolve(h.cpusetFile(which));
      if (!files.read(target).orElse("").isBlank()) {
        continue;
      }
      Path source = from.resolve(h.cpusetFile(which));
      String value = files.read(source).orElse("").strip();
      if (value.isEmpty()) {
        throw new IOException(source + " is empty or unreadable, so " + target + " cannot be set");
      }
      files.write(target, value + "\n");
    }
  }

  @Override
  public boolean holds(String guestId, long pid) {
    CgroupName.require("guest uid", guestId);
    String wanted = Long.toString(pid);
    for (CgroupHierarchy h : hierarchies) {
      List<String> procs = files.read(guestDir(h, guestId).resolve(PROCS)).orElse("").lines().map(String::strip).toList();
      if (!procs.contains(wanted)) {
        return false;
      }
    }
    return true;
  }

  /** Removes only the guest's own directories; the parent is shared by every guest and stays. */
  @Override
  public void release(String guestId) {
    try {
      CgroupName.require("guest uid", guestId);
    } catch (IllegalArgumentException e) {
      LOG.warn("not releasing cgroups: {}", e.getMessage());
      return;
    }
    for (CgroupHierarchy h : hierarchies) {
      Path dir = guestDir(h, guestId);
      try {
        removeWhenFree(dir);
      } catch (IOException e) {
        LOG.warn("guest {}: cgroup {} is left behind: {}", guestId, dir, e.getMessage());
      }
    }
  }

  private void removeWhenFree(Path dir) throws IOException {
    long deadline = System.nanoTime() + busyWait.toNanos();
    while (true) {
      try {
        files.removeDirectory(dir);
        return;
      } catch (IOException e) {
        if (System.nanoTime() >= deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + dir + " to empty", e);
      }
    }
  }

  private Path guestDir(CgroupHierarchy h, String guestId) {
    return h.mountPoint().resolve(parent).resolve(guestId);
  }
}
