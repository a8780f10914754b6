package io.kvmguest.agent.cgroup;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real cgroupfs on this host: a daemon (double fork, like qemu's -daemonize) is moved into
 * {@code /<parent>/<uid>} of every mounted hierarchy, then its cgroups are released. The parent
 * is unique to the run and removed afterwards.
 */
class GuestCgroupsIT {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  @TempDir Path dir;
  private final String parent = "kvmguest-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String uid = UUID.randomUUID().toString();
  private List<CgroupHierarchy> hierarchies;
  private CgroupfsGuestCgroups cgroups;
  private long daemon = -1;

  @BeforeEach
  void setUp() throws IOException {
    Requirements.root();
    hierarchies = CgroupMounts.parse(Files.readString(MOUNTINFO));
    assertFalse(hierarchies.isEmpty(), "no cgroup hierarchy in " + MOUNTINFO);
    cgroups = new CgroupfsGuestCgroups(hierarchies, parent, new LinuxCgroupFiles());
  }

  @AfterEach
  void removeEverythingThisTestMade() throws IOException {
    if (daemon > 0) {
      ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
      await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/proc/" + daemon)));
    }
    List<String> left = new ArrayList<>();
    for (CgroupHierarchy h : hierarchies) {
      Path parentDir = h.mountPoint().resolve(parent);
      if (!Files.isDirectory(parentDir)) {
        continue;
      }
      try (Stream<Path> children = Files.list(parentDir)) {
        for (Path child : children.filter(Files::isDirectory).toList()) {
          rmdir(child, left);
        }
      }
      rmdir(parentDir, left);
    }
    assertEquals(List.of(), left, "cgroup directories the test could not remove");
  }

  private static void rmdir(Path cgroup, List<String> left) {
    try {
      Files.delete(cgroup);
    } catch (IOException e) {
      left.add(cgroup + ": " + e.getMessage());
    }
  }

  /** What qemu -daemonize does: the parent exits once the daemon, in a session of its own, has written its pid. */
  private long startDaemon() throws Exception {
    Path pidFile = dir.resolve("daemon.pid");
    Process parentShell = new ProcessBuilder("setsid", "sh", "-c", "sleep 600 </dev/null >/dev/null 2>&1 & echo $! > " + pidFile)
        .redirectErrorStream(true).start();
    assertTrue(parentShell.waitFor(10, TimeUnit.SECONDS), "the daemonizing shell did not exit");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.isRegularFile(pidFile) && !Files.readString(pidFile).isBlank());
    daemon = Long.parseLong(Files.readString(pidFile).strip());
    assertTrue(ProcessHandle.of(daemon).isPresent(), "daemon " + daemon + " is not running");
    return daemon;
  }

  /** The cgroup path of each line of /proc/PID/cgroup ({@code id:controllers:path}). */
  private static List<String> cgroupLines(long pid) throws IOException {
    return Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")).stream().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void aDaemonIsMovedIntoItsOwnCgroupInEveryHierarchyAndReleasedOnceGone() throws Exception {
    long pid = startDaemon();
    assertFalse(cgroups.holds(uid, pid));

    cgroups.place(uid, pid);

    List<String> lines = cgroupLines(pid);
    assertEquals(hierarchies.size(), lines.size(), "one /proc/" + pid + "/cgroup line per hierarchy: " + lines);
    String own = "/" + parent + "/" + uid;
    for (String line : lines) {
      assertTrue(line.endsWith(":" + own), "not in " + own + ": " + line + " (all: " + lines + ")");
    }
    assertTrue(cgroups.holds(uid, pid));

    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(Path.of("/proc/" + pid)));
    daemon = -1;

    cgroups.release(uid);
    for (CgroupHierarchy h : hierarchies) {
      assertFalse(Files.exists(h.mountPoint().resolve(parent).resolve(uid)), "left in " + h.label());
      assertTrue(Files.isDirectory(h.mountPoint().resolve(parent)), "the shared parent stays in " + h.label());
    }
    cgroups.release(uid); // twice: nothing left to do, no error
  }

  @Test
  void placingTwiceIsHarmlessAndAPlacedDaemonIsHeld() throws Exception {
    long pid = startDaemon();
    cgroups.place(uid, pid);
    cgroups.place(uid, pid); // an adoption that places again finds everything made
    assertTrue(cgroups.holds(uid, pid));
    Optional<String> stray = cgroupLines(pid).stream().filter(l -> !l.endsWith("/" + parent + "/" + uid)).findFirst();
    assertEquals(Optional.empty(), stray);
  }
}
