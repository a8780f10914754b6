package io.kvmguest.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdGuestCgroupsTest {
  private final SystemdGuestCgroups systemd = new SystemdGuestCgroups();

  @Test
  void theLaunchRunsInATransientScopeUnderMachineSlice() {
    assertEquals(List.of("systemd-run", "--scope", "--quiet", "--collect", "--slice=machine.slice",
            "--unit=kvmguest-3f2b8c1e-7a4d", "--", "qemu-system-x86_64", "-pidfile", "/s/run/u/qemu.pid", "-daemonize"),
        systemd.wrapLaunch("3f2b8c1e-7a4d", List.of("qemu-system-x86_64", "-pidfile", "/s/run/u/qemu.pid", "-daemonize")));
  }

  @Test
  void aUidThatCannotNameAUnitIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> systemd.wrapLaunch("a b", List.of("qemu")));
    assertTrue(e.getMessage().contains("\"a b\""), e.getMessage());
  }

  @Test
  void noneLeavesTheLaunchAlone() {
    List<String> argv = List.of("qemu-system-x86_64", "-daemonize");
    assertEquals(argv, new NoGuestCgroups().wrapLaunch("u", argv));
  }
}
