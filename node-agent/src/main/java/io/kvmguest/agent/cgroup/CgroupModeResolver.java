package io.kvmguest.agent.cgroup;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns {@link CgroupMode#AUTO} into the mode this host supports, by looking at its files. */
final class CgroupModeResolver {
  private static final Logger LOG = LoggerFactory.getLogger(CgroupModeResolver.class);
  static final Path SYSTEMD_RUNTIME = Path.of("/run/systemd/system");
  static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private final CgroupFiles files;
  private final String searchPath;

  CgroupModeResolver(CgroupFiles files, String searchPath) {
    this.files = files;
    this.searchPath = searchPath;
  }

  CgroupMode resolve(CgroupMode requested) {
    if (requested != CgroupMode.AUTO) {
      return requested;
    }
    if (systemdRuns() && systemdRunOnPath()) {
      LOG.info("guest cgroups: systemd (a scope per guest under machine.slice)");
      return CgroupMode.SYSTEMD;
    }
    List<CgroupHierarchy> writable = hierarchies().stream().filter(h -> files.isWritable(h.mountPoint())).toList();
    if (!writable.isEmpty()) {
      LOG.info("guest cgroups: cgroupfs ({} writable hierarchies)", writable.size());
      return CgroupMode.CGROUPFS;
    }
    LOG.warn("guest cgroups: none (no systemd, no writable cgroup hierarchy in {}): guests stay in the agent's cgroup "
        + "and die with the agent's container", MOUNTINFO);
    return CgroupMode.NONE;
  }

  /** The cgroup hierarchies this process sees. */
  List<CgroupHierarchy> hierarchies() {
    return files.read(MOUNTINFO).map(CgroupMounts::parse).orElse(List.of());
  }

  /** systemd as the host's init makes this directory; a container's /run has it only when the host's is mounted. */
  private boolean systemdRuns() {
    return files.isDirectory(SYSTEMD_RUNTIME);
  }

  private boolean systemdRunOnPath() {
    for (String dir : searchPath.split(":")) {
      if (!dir.isEmpty() && files.isExecutable(Path.of(dir, "systemd-run"))) {
        return true;
      }
    }
    return false;
  }
}
