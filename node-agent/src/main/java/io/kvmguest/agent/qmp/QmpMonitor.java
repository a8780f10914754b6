package io.kvmguest.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A connected, capabilities-negotiated QMP session with one qemu (the go-qemu {@code Monitor}
 * seam): run commands, hear events, notice when qemu goes away. Obtained from a
 * {@link QmpConnector}; implementations are thread-safe.
 */
public interface QmpMonitor extends AutoCloseable {

  /**
   * Runs {@code command} and returns qemu's {@code return} value.
   *
   * @throws QmpException qemu answered with an error (its class and description are kept)
   * @throws QmpTimeoutException no reply within {@code timeout}
   * @throws QmpConnectionException the monitor is or became closed
   */
  JsonNode execute(String command, Map<String, ?> arguments, Duration timeout);

  default JsonNode execute(String command, Duration timeout) {
    return execute(command, Map.of(), timeout);
  }

  /**
   * Delivers every later asynchronous event (SHUTDOWN, POWERDOWN, STOP, RESUME, ...) in arrival
   * order, on one dispatch thread that is not the reader: a listener may call {@link #execute}.
   */
  Subscription subscribe(Consumer<QmpEvent> listener);

  boolean isOpen();

  /**
   * Runs {@code callback} once when the connection ends, whichever side ends it: qemu exiting
   * closes its socket at once, so this is how a dead qemu is noticed. Runs at once (on the calling
   * thread) if the connection has already ended.
   */
  void onClose(Runnable callback);

  /** Disconnects; qemu keeps running. Idempotent. */
  @Override
  void close();

  /** Stops the delivery of events to one listener. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
