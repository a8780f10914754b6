package io.kvmguest.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Preconditions of the integration tests. They fail loudly, never skip: a test that cannot run is
 * a red build, so a CI machine without root or qemu cannot pass by accident.
 */
public final class Requirements {
  private Requirements() {}

  public static void root() {
    if (!"root".equals(System.getProperty("user.name"))) {
      fail("this integration test needs root (network namespaces, bridges, taps); run `make test` as root");
    }
  }

  /** Everything a node agent running real guests needs: root, qemu, the network tools, the test guest. */
  public static void guestHost() {
    root();
    for (String name : new String[] {"ip", "dnsmasq", "iptables", "ping", "qemu-system-x86_64", "qemu-img"}) {
      binary(name);
    }
    GuestImages.iso();
  }

  /** A program on the PATH, installed by scripts/install-deps.sh. */
  public static void binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return;
      }
    }
    for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin"}) {
      if (Files.isExecutable(Path.of(dir, name))) {
        return;
      }
    }
    fail(name + " is not installed; `make test` installs it (scripts/install-deps.sh)");
  }
}
