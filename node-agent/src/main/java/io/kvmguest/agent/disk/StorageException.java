package io.kvmguest.agent.disk;

/**
 * A disk or CD-ROM cannot be prepared. The message starts with the spec field at fault (for
 * example {@code spec.disks[0].image.source.path}) so it can go straight into the guest's status.
 */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
