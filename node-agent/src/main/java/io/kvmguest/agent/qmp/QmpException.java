package io.kvmguest.agent.qmp;

/**
 * A QMP command failed. When qemu answered with an error, {@link #errorClass()} is its class
 * ({@code GenericError}, {@code CommandNotFound}, {@code DeviceNotFound}, ...) and
 * {@link #description()} its text; for failures on this side (subclasses) the class is empty.
 */
public class QmpException extends RuntimeException {
  private final String command;
  private final String errorClass;
  private final String description;

  /** qemu answered {@code command} with {@code {"error": {"class": errorClass, "desc": description}}}. */
  public QmpException(String command, String errorClass, String description) {
    super("QMP command " + command + " failed: " + errorClass + ": " + description);
    this.command = command;
    this.errorClass = errorClass;
    this.description = description;
  }

  /** {@code command} did not get an answer from qemu, for the reason in {@code message}. */
  public QmpException(String command, String message, Throwable cause) {
    super(message, cause);
    this.command = command;
    this.errorClass = "";
    this.description = message;
  }

  public String command() {
    return command;
  }

  public String errorClass() {
    return errorClass;
  }

  public String description() {
    return description;
  }
}
