package io.kvmguest.agent.qemu;

import java.util.Arrays;
import java.util.Locale;

/** Image file format, always given to qemu explicitly: format probing of raw images is unsafe. */
public enum ImageFormat {
  QCOW2,
  RAW;

  public static ImageFormat fromApi(String name) {
    return Arrays.stream(values())
        .filter(f -> f.qemuName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("image format \"" + name + "\" is not supported: use qcow2 or raw"));
  }

  public String qemuName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
