package io.kvmguest.agent.disk;

/**
 * A disk or CD-ROM cannot be prepared. The message starts with the spec field at fault (for
 * example {@code spec.disks[0].image.source.path}) so it can go straight into the guest's status.
 */
public class StorageException extends RuntimeException {
  private final boolean retryable;

  public StorageException(String message) {
    this(message, null, false);
  }

  public StorageException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private StorageException(String message, Throwable cause, boolean retryable) {
    super(message, cause);
    this.retryable = retryable;
  }

  /** A failure that may pass without a spec change (a server error, a timeout, a full disk): worth trying again. */
  public static StorageException retryable(String message, Throwable cause) {
    return new StorageException(message, cause, true);
  }

  public boolean retryable() {
    return retryable;
  }
}
