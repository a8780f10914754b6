package io.kvmguest.agent.qmp;

import java.time.Duration;

/** qemu did not answer in time (it may be hung, or busy; the connection stays usable). */
public final class QmpTimeoutException extends QmpException {
  public QmpTimeoutException(String command, String what, Duration timeout) {
    super(command, "no " + what + " from qemu within " + timeout.toMillis() + " ms", (Throwable) null);
  }
}
