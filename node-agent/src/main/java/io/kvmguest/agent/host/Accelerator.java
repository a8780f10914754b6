package io.kvmguest.agent.host;

/** The accelerator qemu runs a guest with ({@code -accel}). */
public enum Accelerator {
  KVM,
  TCG;

  /** Spelling for qemu's -accel and for status.accelerator. */
  public String qemuName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
