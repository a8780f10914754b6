package io.kvmguest.agent.disk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code qemu-img info} says about an image.
 *
 * @param format       the format qemu was told (qcow2 or raw)
 * @param virtualSize  size of the disk the guest sees, in bytes
 * @param backingFile  the backing file an overlay reads through to
 * @param dataFile     a qcow2 external data file
 * @param otherFiles   any further file the image opens: VMDK extents, and the children newer qemu-img
 *                     lists besides the image's own "file"
 */
public record ImageInfo(String format, long virtualSize, Optional<String> backingFile, Optional<String> dataFile,
    List<String> otherFiles) {

  public ImageInfo {
    otherFiles = List.copyOf(otherFiles);
  }

  public ImageInfo(String format, long virtualSize, Optional<String> backingFile, Optional<String> dataFile) {
    this(format, virtualSize, backingFile, dataFile, List.of());
  }

  /** An image with no references to other files. */
  public static ImageInfo standalone(String format, long virtualSize) {
    return new ImageInfo(format, virtualSize, Optional.empty(), Optional.empty());
  }

  /** Whether opening this image makes qemu open other files too. */
  public boolean refersToOtherFiles() {
    return !references().isEmpty();
  }

  /** Each file this image makes qemu open, described for an error message. */
  public List<String> references() {
    List<String> references = new ArrayList<>();
    backingFile.ifPresent(file -> references.add("backing file \"" + file + "\""));
    dataFile.ifPresent(file -> references.add("data file \"" + file + "\""));
    otherFiles.forEach(file -> references.add("file \"" + file + "\""));
    return List.copyOf(references);
  }
}
