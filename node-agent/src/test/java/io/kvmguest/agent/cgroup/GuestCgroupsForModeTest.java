package io.kvmguest.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestCgroupsForModeTest {
  @TempDir Path root;
  private FakeRootCgroupFiles files;

  @BeforeEach
  void host() {
    files = new FakeRootCgroupFiles(root);
  }

  private void systemdRunning() throws IOException {
    files.directory("/run/systemd/system").file("/usr/bin/systemd-run", "#!/bin/sh\n");
    Files.setPosixFilePermissions(files.real(Path.of("/usr/bin/systemd-run")), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private void cgroupsMounted() throws IOException {
    files.file("/proc/self/mountinfo", MountinfoSamples.HYBRID_SEPARATE);
    for (String mount : new String[] {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd",
        "unified"}) {
      files.directory("/sys/fs/cgroup/" + mount);
    }
  }

  private GuestCgroups auto() {
    return GuestCgroups.forMode(CgroupMode.AUTO, "kvmguest", files, "/usr/local/bin:/usr/bin");
  }

  @Test
  void autoTakesSystemdWhenItRunsAndSystemdRunIsThere() throws IOException {
    systemdRunning();
    cgroupsMounted();
    assertInstanceOf(SystemdGuestCgroups.class, auto());
  }

  @Test
  void autoWithoutSystemdRunTakesCgroupfs() throws IOException {
    files.directory("/run/systemd/system");
    cgroupsMounted();
    GuestCgroups cgroups = auto();
    assertInstanceOf(CgroupfsGuestCgroups.class, cgroups);
    assertEquals(CgroupMode.CGROUPFS, cgroups.mode());
  }

  @Test
  void autoWithoutSystemdOrCgroupsIsNone() throws IOException {
    files.file("/proc/self/mountinfo", "24 1 259:2 / / rw - ext4 /dev/x rw\n");
    assertInstanceOf(NoGuestCgroups.class, auto());
  }

  @Test
  void autoWithHierarchiesThatCannotBeWrittenIsNone() throws IOException {
    files.file("/proc/self/mountinfo", MountinfoSamples.HYBRID_SEPARATE); // listed, but no such directories
    assertInstanceOf(NoGuestCgroups.class, auto());
  }

  @Test
  void anExplicitModeIsTakenAsIs() {
    assertInstanceOf(SystemdGuestCgroups.class, GuestCgroups.forMode(CgroupMode.SYSTEMD, "kvmguest", files, ""));
    assertInstanceOf(CgroupfsGuestCgroups.class, GuestCgroups.forMode(CgroupMode.CGROUPFS, "kvmguest", files, ""));
    assertInstanceOf(NoGuestCgroups.class, GuestCgroups.forMode(CgroupMode.NONE, "kvmguest", files, ""));
  }

  @Test
  void aParentThatIsNoPathComponentIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> GuestCgroups.forMode(CgroupMode.NONE, "../x", files, ""));
    assertEquals("--guest-cgroup-parent \"../x\" cannot name a cgroup: it must be made of A-Z a-z 0-9 _ . - and must not be . "
        + "or contain ..", e.getMessage());
  }
}
