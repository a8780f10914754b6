package io.kvmguest.agent.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The tiny test guest (Debian kernel + busybox initramfs) built by guest-image/build.sh, once per
 * machine: outputs are cached in guest-image/out and rebuilt only when the script changes. On its
 * serial console the guest prints
 * {@code KVMGUEST-READY iface=eth0 driver=<driver> mac=<mac> ip=<ipv4>} per NIC with a lease.
 */
public final class GuestImages {
  private GuestImages() {}

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  /** KVMGUEST_IMAGE_DIR points at an already built output (another work tree's) to skip the build. */
  private static final String PREBUILT = System.getenv("KVMGUEST_IMAGE_DIR");
  public static final Path OUT = PREBUILT != null ? Path.of(PREBUILT) : REPO.resolve("guest-image/out");
  /** The build is checked once per JVM: a benchmark writing 100 manifests must not run build.sh 100 times. */
  private static boolean built;

  /** Bootable ISO ({@code -cdrom}, {@code boot once: cdrom}). */
  public static synchronized Path iso() {
    build();
    return OUT.resolve("tiny-guest.iso");
  }

  /** Bootable raw disk (MBR + FAT16 + syslinux), a base for qcow2 overlays. */
  public static synchronized Path rawDisk() {
    build();
    return OUT.resolve("tiny-guest.raw");
  }

  private static void build() {
    if (PREBUILT != null || built) {
      return;
    }
    try {
      Process p = new ProcessBuilder(REPO.resolve("guest-image/build.sh").toString(), OUT.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(REPO.resolve("guest-image/build.log").toFile()))
          .start();
      assertTrue(p.waitFor(15, TimeUnit.MINUTES), "guest-image/build.sh took over 15 minutes");
      assertEquals(0, p.exitValue(), "guest-image/build.sh failed; see guest-image/build.log");
      assertTrue(Files.isRegularFile(OUT.resolve("tiny-guest.iso")), "no tiny-guest.iso");
      built = true;
    } catch (IOException e) {
      throw new AssertionError("cannot run guest-image/build.sh", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
