package io.kvmguest.agent.disk;

/** A {@code qemu-img} operation failed; the message carries its command line and error output. */
public class QemuImgException extends RuntimeException {
  public QemuImgException(String message, Throwable cause) {
    super(message, cause);
  }

  public QemuImgException(String message) {
    super(message);
  }
}
