package io.kvmguest.agent.disk;

import java.util.Optional;

/**
 * What {@code qemu-img info} says about an image.
 *
 * @param format       the format qemu detected or was told (qcow2, raw, vmdk, ...)
 * @param virtualSize  size of the disk the guest sees, in bytes
 * @param backingFile  the backing file an overlay reads through to
 * @param dataFile     a qcow2 external data file
 */
public record ImageInfo(String format, long virtualSize, Optional<String> backingFile, Optional<String> dataFile) {

  /** An image with no references to other files. */
  public static ImageInfo standalone(String format, long virtualSize) {
    return new ImageInfo(format, virtualSize, Optional.empty(), Optional.empty());
  }

  /** Whether opening this image makes qemu open other files too. */
  public boolean refersToOtherFiles() {
    return backingFile.isPresent() || dataFile.isPresent();
  }
}
