package io.kvmguest.agent.host;

/** The CPU flag that says the processor can run hardware-virtualized guests. */
public enum VirtualizationFlag {
  /** Intel VT-x. */
  VMX,
  /** AMD-V. */
  SVM,
  /** Neither: KVM cannot run stock guests, whatever /dev/kvm says. */
  NONE;

  /** Spelling as in /proc/cpuinfo ("none" when absent). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
