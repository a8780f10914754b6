package io.kvmguest.agent.disk;

import io.kvmguest.api.v1alpha1.ImageSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Turns an image source (allowed path or download) into a local base image that is safe to open:
 * its format is read from its header here ({@link ImageFormatProbe}, never by qemu) and then always
 * passed explicitly; it must be raw or qcow2 and must not refer to other files. A crafted download
 * whose bytes are a qcow2 header with a backing file such as /dev/sda, or a VMDK descriptor whose
 * extent is /etc/shadow, would otherwise let a guest read any host file.
 */
final class BaseImages {
  private static final Set<String> ALLOWED_FORMATS = Set.of("raw", "qcow2");
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
    String sourceField = field + (source.path() != null ? ".path" : ".http.url");
    String format = ImageFormatProbe.formatOf(header(path, sourceField));
    if (!ALLOWED_FORMATS.contains(format)) {
      throw new StorageException(sourceField + ": the image at " + path + " is a " + format + " image; only raw and"
          + " qcow2 images are allowed (convert it with qemu-img convert -O qcow2)");
    }
    ImageInfo info;
    try {
      info = qemuImg.info(path, format);
    } catch (QemuImgException e) {
      throw new StorageException(sourceField + ": cannot read the " + format + " image at " + path + ": " + e.getMessage(), e);
    }
    if (!info.format().equals(format)) {
      throw new StorageException(sourceField + ": the image at " + path + " looks like " + format + " but qemu-img reads it as "
          + info.format() + "; only plain raw and qcow2 images are allowed");
    }
    if (info.refersToOtherFiles()) {
      throw new StorageException(sourceField + ": the " + format + " image at " + path + " refers to "
          + String.join(", ", info.references()) + "; a base image must be self-contained (flatten it with qemu-img convert)");
    }
    return new Base(path, info);
  }

  private static byte[] header(Path path, String field) {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes(ImageFormatProbe.HEADER_BYTES);
    } catch (IOException e) {
      throw new StorageException(field + ": cannot read the image at " + path + ": " + e.getMessage(), e);
    }
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
