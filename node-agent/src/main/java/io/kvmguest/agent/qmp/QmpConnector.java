package io.kvmguest.agent.qmp;

import java.nio.file.Path;
import java.time.Duration;

/** Opens a QMP session on a qemu's monitor socket; {@code UnixSocketQmpMonitor::connect} is the real one. */
@FunctionalInterface
public interface QmpConnector {

  /**
   * Connects, retrying while the socket does not exist yet (qemu creates it shortly after it
   * starts), reads the greeting and negotiates capabilities, all within {@code timeout}.
   */
  QmpMonitor connect(Path socket, Duration timeout);
}
