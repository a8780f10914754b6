package io.kvmguest.agent.supervise;

/** How a stop ended, from gentlest to harshest. */
public enum StopOutcome {
  /** The guest powered itself off after the ACPI button, within the grace period. */
  POWERED_OFF,
  /** qemu was told to quit over QMP after the grace period. */
  QUIT,
  /** qemu got SIGTERM because there was no monitor to ask, and exited. */
  TERMINATED,
  /** qemu ignored everything else and got SIGKILL. */
  KILLED,
  /** Nothing was running. */
  NOT_RUNNING
}
