package io.kvmguest.agent.qemu;

import java.util.Arrays;
import java.util.Locale;

/** A device kind in qemu's {@code -boot order=}, with the drive letter the PC firmware understands. */
public enum BootDevice {
  DISK('c'),
  CDROM('d'),
  NETWORK('n');

  private final char letter;

  BootDevice(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  public static BootDevice fromApi(String name) {
    return Arrays.stream(values())
        .filter(d -> d.name().toLowerCase(Locale.ROOT).equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("boot device \"" + name + "\" is not supported: use disk, cdrom or network"));
  }
}
