package io.kvmguest.agent.disk;

import io.kvmguest.api.v1alpha1.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns an image source (allowed path or download) into a local base image that is safe to open:
 * its format is probed once here and then always passed explicitly, and it must not refer to other
 * files. A crafted "raw" download whose bytes are a qcow2 header with a backing file such as
 * /dev/sda would otherwise let a guest read any host file.
 */
final class BaseImages {
  /** A checked base: where it is and what qemu-img found in it. */
  record Base(Path path, ImageInfo info) {}

  private final Allowlist allowlist;
  private final QemuImg qemuImg;
  private final ImageDownloader downloader;

  BaseImages(Allowlist allowlist, QemuImg qemuImg, ImageDownloader downloader) {
    this.allowlist = allowlist;
    this.qemuImg = qemuImg;
    this.downloader = downloader;
  }

  /** @param field the source's spec field, e.g. {@code spec.disks[0].image.source} */
  Base resolve(ImageSource source, String field) {
    Path path = localFile(source, field);
    ImageInfo info;
    try {
      info = qemuImg.info(path, null);
    } catch (QemuImgException e) {
      throw new StorageException(field + ": cannot read the image at " + path + ": " + e.getMessage(), e);
    }
    if (info.refersToOtherFiles()) {
      String refers = info.backingFile().map(b -> "backing file \"" + b + "\"")
          .orElseGet(() -> "data file \"" + info.dataFile().orElse("") + "\"");
      throw new StorageException(field + ": the " + info.format() + " image at " + path + " refers to " + refers
          + "; a base image must be self-contained (flatten it with qemu-img convert)");
    }
    return new Base(path, info);
  }

  /** The file behind a source: an allowed regular file, or a verified download. */
  Path localFile(ImageSource source, String field) {
    boolean hasPath = source.path() != null;
    if (hasPath == (source.http() != null)) {
      throw new StorageException(field + ": set exactly one of path or http");
    }
    if (!hasPath) {
      return downloader.fetch(source.http(), field + ".http");
    }
    Path path = allowlist.imagePath(field + ".path", source.path());
    if (!Files.exists(path)) {
      throw new StorageException(field + ".path: \"" + source.path() + "\" does not exist on this node");
    }
    if (!Files.isRegularFile(path)) {
      throw new StorageException(field + ".path: \"" + source.path() + "\" is not a regular file");
    }
    return path;
  }
}
