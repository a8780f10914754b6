package io.kvmguest.api.v1alpha1;

/** Numeric bounds of the API, shared by the CRD schema and the validator. */
public final class Limits {
  private Limits() {}

  /** qemu's pc machine type accepts at most 255 vCPUs. */
  public static final int MAX_CPUS = 255;
  /** Below this no current kernel boots. */
  public static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;
  /** A typo guard (4Ti), far above any node this targets. */
  public static final long MAX_MEMORY_BYTES = 4L * 1024 * 1024 * 1024 * 1024;
  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65535;
  public static final int MIN_BOOT_ORDER = 1;
}
