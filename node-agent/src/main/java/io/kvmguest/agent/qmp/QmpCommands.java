package io.kvmguest.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Typed QMP commands the agent needs (qemu 7.2 names), on top of a {@link QmpMonitor}. */
public final class QmpCommands {
  private static final Logger LOG = LoggerFactory.getLogger(QmpCommands.class);

  private final QmpMonitor monitor;
  private final Duration commandTimeout;

  public QmpCommands(QmpMonitor monitor, Duration commandTimeout) {
    this.monitor = Objects.requireNonNull(monitor, "monitor");
    this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
  }

  public GuestStatus queryStatus() {
    JsonNode status = monitor.execute("query-status", commandTimeout);
    return new GuestStatus(status.path("status").asText(), status.path("running").asBoolean());
  }

  /** {@link #queryBlockStats()} with its own reply timeout (metrics sampling waits less than guest work). */
  public List<BlockStats> queryBlockStats(Duration timeout) {
    return new QmpCommands(monitor, timeout).queryBlockStats();
  }

  /** I/O counters per block device (the top node: what the guest asked for, before format overhead). */
  public List<BlockStats> queryBlockStats() {
    List<BlockStats> result = new ArrayList<>();
    for (JsonNode entry : monitor.execute("query-blockstats", commandTimeout)) {
      String device = entry.path("device").asText();
      JsonNode stats = entry.path("stats");
      result.add(new BlockStats(
          device.isEmpty() ? entry.path("qdev").asText() : device,
          entry.path("node-name").asText(),
          stats.path("rd_bytes").asLong(),
          stats.path("wr_bytes").asLong(),
          stats.path("rd_operations").asLong(),
          stats.path("wr_operations").asLong(),
          stats.path("rd_total_time_ns").asLong(),
          stats.path("wr_total_time_ns").asLong(),
          stats.path("flush_operations").asLong()));
    }
    return result;
  }

  /** Presses the ACPI power button; the guest may ignore it (no OS yet, no acpid). */
  public void systemPowerdown() {
    monitor.execute("system_powerdown", commandTimeout);
  }

  /** Makes qemu exit at once (no guest shutdown). */
  public void quit() {
    try {
      monitor.execute("quit", commandTimeout);
    } catch (QmpConnectionException e) {
      // qemu may exit before its reply reaches us: the connection closing is the success signal.
      LOG.debug("QMP connection ended while quitting: {}", e.getMessage());
    }
  }

  /**
   * Sets the VNC password ({@code -vnc ...,password=on} needed). VNC authentication (DES) uses only
   * the first 8 characters: longer passwords are accepted and truncated by qemu.
   */
  public void setVncPassword(String password) {
    Objects.requireNonNull(password, "password");
    monitor.execute("change-vnc-password", Map.of("password", password), commandTimeout);
  }

  /**
   * Presses the ACPI power button, waits up to {@code grace} for the SHUTDOWN event or for qemu to
   * exit, then (unless it exited) sends {@code quit}. Commands are still bounded by the command
   * timeout; if even {@code quit} times out, the caller must kill the process.
   */
  public PowerOffOutcome powerOff(Duration grace) {
    CompletableFuture<PowerOffOutcome> ended = new CompletableFuture<>();
    try (QmpMonitor.Subscription ignored = monitor.subscribe(event -> {
      if (QmpEvent.SHUTDOWN.equals(event.name())) {
        ended.complete(PowerOffOutcome.GUEST_SHUTDOWN);
      }
    })) {
      monitor.onClose(() -> ended.complete(PowerOffOutcome.QEMU_EXITED));
      try {
        systemPowerdown();
      } catch (QmpConnectionException e) {
        ended.complete(PowerOffOutcome.QEMU_EXITED);
      } catch (QmpException e) {
        LOG.warn("system_powerdown refused, quitting qemu at once: {}", e.getMessage());
        ended.complete(PowerOffOutcome.QUIT);
      }
      PowerOffOutcome outcome = await(ended, grace);
      if (outcome != PowerOffOutcome.QEMU_EXITED) {
        quit();
      }
      return outcome;
    }
  }

  private static PowerOffOutcome await(CompletableFuture<PowerOffOutcome> ended, Duration grace) {
    try {
      return ended.get(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return PowerOffOutcome.QUIT;
    } catch (ExecutionException e) {
      throw new IllegalStateException("unreachable: the outcome is never completed exceptionally", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QmpException("system_powerdown", "interrupted while waiting for the guest to power off", e);
    }
  }
}
