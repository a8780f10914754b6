package io.kvmguest.agent.supervise;

import java.time.Duration;

/** The supervisor's handle on a running guest's monitor (QMP). */
public interface GuestControl extends AutoCloseable {

  /** Asks the guest to power off (ACPI) and waits up to {@code grace}; true if it went down by itself. */
  boolean powerdown(Duration grace);

  /** Ends qemu at once (QMP quit). */
  void quit();

  /** Sets the VNC console password (qemu checks only its first 8 characters). */
  void setVncPassword(String password);

  /** Whether the guest itself shut down (its OS powered off), as opposed to qemu being stopped or crashing. */
  boolean guestShutdown();

  /** Whether the monitor connection is still up. */
  boolean connected();

  /** qemu's run state, e.g. running, paused, shutdown, internal-error. */
  String runState();

  /**
   * qemu's I/O counters per drive (QMP query-blockstats), waiting at most {@code timeout}. Safe to
   * call from another thread than the agent's (the monitor is thread-safe). Empty by default.
   */
  default java.util.List<io.kvmguest.agent.qmp.BlockStats> blockStats(Duration timeout) {
    return java.util.List.of();
  }

  @Override
  void close();

  /** Opens a control for a launched guest; {@code onClose} runs when the monitor connection drops. */
  interface Factory {
    GuestControl connect(GuestRecord record, Runnable onClose);
  }
}
