package io.kvmguest.agent.qmp;

/** How {@link QmpCommands#powerOff} ended. */
public enum PowerOffOutcome {
  /** qemu reported SHUTDOWN within the grace period (normally the guest honoured the ACPI button); quit followed. */
  GUEST_SHUTDOWN,
  /** The QMP connection ended within the grace period: qemu exited (or was already gone). */
  QEMU_EXITED,
  /** The guest did not react in time (or qemu refused the powerdown): quit was sent. */
  QUIT
}
