package io.kvmguest.agent.qmp;

/** The QMP socket could not be reached, or the connection ended (usually: qemu exited). */
public final class QmpConnectionException extends QmpException {
  public QmpConnectionException(String command, String message, Throwable cause) {
    super(command, message, cause);
  }
}
