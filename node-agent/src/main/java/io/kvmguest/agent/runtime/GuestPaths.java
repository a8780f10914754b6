package io.kvmguest.agent.runtime;

import io.kvmguest.agent.qemu.RuntimePaths;
import java.nio.file.Path;

/** Where a guest's qemu keeps its runtime files: {@code <stateDir>/run/<uid>/}. */
public final class GuestPaths {
  private GuestPaths() {}

  public static Path runDir(Path stateDir, String uid) {
    return stateDir.resolve("run").resolve(uid);
  }

  public static RuntimePaths of(Path stateDir, String uid) {
    Path dir = runDir(stateDir, uid).toAbsolutePath();
    return new RuntimePaths(dir.resolve("qmp.sock"), dir.resolve("qemu.pid"), dir.resolve("serial.log"));
  }
}
