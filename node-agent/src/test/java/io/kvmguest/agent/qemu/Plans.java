package io.kvmguest.agent.qemu;

import io.kvmguest.agent.host.Accelerator;
import java.nio.file.Path;
import java.util.List;

/** Small launch plans for builder tests. */
final class Plans {
  private Plans() {}

  static final String UID = "5f0c8e4a-0b7e-4c55-9d0c-2f7a1c3e9b10";

  static RuntimePaths paths(Path dir) {
    return new RuntimePaths(dir.resolve("qmp.sock"), dir.resolve("qemu.pid"), dir.resolve("serial.log"));
  }

  static LaunchPlan plan(List<DrivePlan> drives, List<NicPlan> nics, VncPlan vnc, BootPlan boot, Path dir) {
    return new LaunchPlan("test-guest", UID, Accelerator.TCG, null, 1, 64, drives, boot, nics, vnc, paths(dir));
  }

  static LaunchPlan minimal() {
    return plan(List.of(), List.of(), null, null, Path.of("/run/kvmguest/g"));
  }

  static NicPlan userNic(String name, NicModel model, String mac) {
    return new NicPlan(name, model, mac, new NicBackend.User("127.0.0.1", List.of()));
  }
}
