package io.kvmguest.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Placement against a fake root that has this machine's hierarchies (HYBRID_SEPARATE). */
class CgroupfsGuestCgroupsTest {
  private static final String UID = "3f2b8c1e-7a4d-4e0b-9c61-0d2f5a8e9b17";
  private static final List<String> MOUNTS = List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
      "systemd", "unified");

  @TempDir Path root;
  private FakeRootCgroupFiles files;
  private CgroupfsGuestCgroups cgroups;

  @BeforeEach
  void host() throws IOException {
    files = new FakeRootCgroupFiles(root);
    for (String mount : MOUNTS) {
      files.file("/sys/fs/cgroup/" + mount + "/cgroup.procs", "1\n");
    }
    files.file("/sys/fs/cgroup/cpuset/cpuset.cpus", "0-3\n").file("/sys/fs/cgroup/cpuset/cpuset.mems", "0\n");
    cgroups = new CgroupfsGuestCgroups(CgroupMounts.parse(MountinfoSamples.HYBRID_SEPARATE), "kvmguest", files, Duration.ZERO);
  }

  @Test
  void placeMakesTheGuestsCgroupInEveryHierarchyAndMovesThePid() throws IOException {
    cgroups.place(UID, 4242);
    for (String mount : MOUNTS) {
      assertEquals("4242\n", files.text("/sys/fs/cgroup/" + mount + "/kvmguest/" + UID + "/cgroup.procs"), mount);
    }
    assertTrue(cgroups.holds(UID, 4242));
    assertFalse(cgroups.holds(UID, 4243));
  }

  @Test
  void aCpusetCgroupGetsItsParentsCpusAndMemsBeforeThePid() throws IOException {
    cgroups.place(UID, 4242);
    assertEquals("0-3\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/cpuset.cpus"));
    assertEquals("0\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/cpuset.mems"));
    assertEquals("0-3\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/" + UID + "/cpuset.cpus"));
    assertEquals("0\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/" + UID + "/cpuset.mems"));
  }

  @Test
  void anAdminsCpusetOnTheParentIsKeptForItsGuests() throws IOException {
    files.file("/sys/fs/cgroup/cpuset/kvmguest/cpuset.cpus", "2-3\n").file("/sys/fs/cgroup/cpuset/kvmguest/cpuset.mems", "0\n")
        .file("/sys/fs/cgroup/cpuset/kvmguest/cgroup.procs", "");
    cgroups.place(UID, 4242);
    assertEquals("2-3\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/cpuset.cpus"));
    assertEquals("2-3\n", files.text("/sys/fs/cgroup/cpuset/kvmguest/" + UID + "/cpuset.cpus"));
  }

  @Test
  void aHierarchyThatFailsIsNamedAndTheOthersAreStillPlaced() throws IOException {
    files.file("/sys/fs/cgroup/cpuset/cpuset.mems", "");
    var e = assertThrows(CgroupPlacementException.class, () -> cgroups.place(UID, 4242));
    assertTrue(e.getMessage().contains("qemu pid 4242 of guest " + UID + " is still in the agent's cgroup in cpuset at /sys/fs/cgroup/cpuset/kvmguest/" + UID), e.getMessage());
    assertTrue(e.getMessage().contains("cpuset.mems is empty"), e.getMessage());
    assertEquals("4242\n", files.text("/sys/fs/cgroup/memory/kvmguest/" + UID + "/cgroup.procs"));
    assertFalse(cgroups.holds(UID, 4242));
  }

  @Test
  void noHierarchyAtAllIsAFailedPlacement() {
    var none = new CgroupfsGuestCgroups(List.of(), "kvmguest", files, Duration.ZERO);
    var e = assertThrows(CgroupPlacementException.class, () -> none.place(UID, 4242));
    assertTrue(e.getMessage().contains("no cgroup hierarchy is mounted"), e.getMessage());
  }

  @Test
  void aUidThatIsNoPathComponentIsRefusedBeforeAnythingIsMade() {
    var e = assertThrows(IllegalArgumentException.class, () -> cgroups.place("../../etc", 4242));
    assertTrue(e.getMessage().contains("\"../../etc\""), e.getMessage());
    assertFalse(files.exists("/sys/fs/cgroup/cpu/kvmguest"));
    assertThrows(IllegalArgumentException.class, () -> new CgroupfsGuestCgroups(List.of(), "a/b", files));
  }

  @Test
  void releaseRemovesTheGuestsCgroupsAndKeepsTheSharedParent() throws IOException {
    cgroups.place(UID, 4242);
    cgroups.place("other", 4343);
    for (String mount : MOUNTS) {
      files.file("/sys/fs/cgroup/" + mount + "/kvmguest/" + UID + "/cgroup.procs", ""); // qemu is gone
    }
    cgroups.release(UID);
    for (String mount : MOUNTS) {
      assertFalse(files.exists("/sys/fs/cgroup/" + mount + "/kvmguest/" + UID), mount);
      assertTrue(files.exists("/sys/fs/cgroup/" + mount + "/kvmguest/other"), mount);
    }
    cgroups.release(UID); // absent: nothing to do, no error
    cgroups.release("never-placed");
  }

  @Test
  void releaseLeavesACgroupThatStillHoldsAProcess() throws IOException {
    cgroups.place(UID, 4242);
    cgroups.release(UID); // 4242 still in it: the kernel refuses, release only logs
    assertTrue(files.exists("/sys/fs/cgroup/memory/kvmguest/" + UID));
  }
}
