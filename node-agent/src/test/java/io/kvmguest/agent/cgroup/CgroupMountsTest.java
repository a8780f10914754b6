package io.kvmguest.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupMountsTest {

  @Test
  void hybridWithOneHierarchyPerController() {
    List<CgroupHierarchy> all = CgroupMounts.parse(MountinfoSamples.HYBRID_SEPARATE);
    assertEquals(List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd", "unified"),
        all.stream().map(CgroupHierarchy::label).toList());
    CgroupHierarchy cpuset = all.get(2);
    assertEquals(Path.of("/sys/fs/cgroup/cpuset"), cpuset.mountPoint());
    assertTrue(cpuset.needsCpusetCopy());
    assertEquals("cpuset.cpus", cpuset.cpusetFile("cpus"));
    CgroupHierarchy unified = all.get(9);
    assertTrue(unified.v2());
    assertFalse(unified.needsCpusetCopy());
    assertEquals("/", unified.root());
  }

  @Test
  void comountedControllersAreOneHierarchyAndASecondMountOfOneIsIgnored() {
    List<CgroupHierarchy> all = CgroupMounts.parse(MountinfoSamples.HYBRID_COMOUNTED_IN_CONTAINER);
    assertEquals(List.of("unified", "name=systemd", "cpu,cpuacct", "net_cls,net_prio", "cpuset", "memory", "pids"),
        all.stream().map(CgroupHierarchy::label).toList());
    assertEquals(List.of("cpu", "cpuacct"), all.get(2).controllers());
    assertEquals(List.of("cpuset"), all.get(4).controllers(), "clone_children is an option, not a controller");
    assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), all.get(2).mountPoint());
    CgroupHierarchy memory = all.get(5);
    assertEquals(Path.of("/host/sys/fs/cgroup/memory"), memory.mountPoint(), "the mount of the whole tree wins");
    assertEquals("/", memory.root());
  }

  @Test
  void pureV2IsOneTree() {
    List<CgroupHierarchy> all = CgroupMounts.parse(MountinfoSamples.PURE_V2);
    assertEquals(1, all.size());
    assertEquals(new CgroupHierarchy(Path.of("/sys/fs/cgroup"), "/", List.of(), "", true, false), all.get(0));
  }

  @Test
  void noprefixCpusetNamesItsFilesWithoutPrefix() {
    CgroupHierarchy h = CgroupMounts.parse("40 31 0:40 / /dev/cpuset rw - cgroup cgroup rw,cpuset,noprefix,release_agent=/sbin/x\n")
        .get(0);
    assertEquals(List.of("cpuset"), h.controllers());
    assertEquals("mems", h.cpusetFile("mems"));
  }

  @Test
  void escapedMountPointsAreDecoded() {
    assertEquals("/mnt/my cgroups", CgroupMounts.unescape("/mnt/my\\040cgroups"));
    assertEquals("/a\\b", CgroupMounts.unescape("/a\\134b"));
    assertEquals("/plain", CgroupMounts.unescape("/plain"));
  }

  @Test
  void noCgroupMountsAndGarbageGiveNothing() {
    assertEquals(List.of(), CgroupMounts.parse("24 1 259:2 / / rw - ext4 /dev/x rw\nnot a mount line\n\n"));
  }
}
