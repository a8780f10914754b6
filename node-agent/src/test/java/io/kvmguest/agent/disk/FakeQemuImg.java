package io.kvmguest.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * In-memory qemu-img: remembers each image's info by the identity (inode) of a small marker file
 * it writes, so the preparer sees real files in its temp directories and a renamed image keeps
 * its info, as with the real tool. Records every operation; {@link #failNext} makes the
 * next operation of a kind fail as qemu-img would.
 */
final class FakeQemuImg implements QemuImg {
  /** qcow2's magic as ISO-8859-1 text (its last byte is 0xfb); markers are written in that charset. */
  static final String QCOW2_MAGIC = "QFI\u00fb";
  private final Map<Object, ImageInfo> images = new HashMap<>();
  private final List<String> operations = new ArrayList<>();
  private String failing;

  /** An image that exists before the test (a base in an image directory). */
  void register(Path path, ImageInfo info) {
    // The preparer reads a base's header itself: a qcow2 base starts with qcow2's magic.
    write(path, (info.format().equals("qcow2") ? QCOW2_MAGIC : "") + "base " + info.format());
    images.put(inode(path), info);
  }

  /** The next operation named {@code op} ("create", "overlay", "convert", "resize", "info") fails. */
  void failNext(String op) {
    failing = op;
  }

  List<String> operations() {
    return List.copyOf(operations);
  }

  /** What the fake knows about the image at {@code path}, or null. */
  ImageInfo infoOf(Path path) {
    return Files.exists(path) ? images.get(inode(path)) : null;
  }

  @Override
  public void create(Path image, String format, long sizeBytes) {
    record("create " + format + " " + image.getFileName() + " " + sizeBytes);
    put(image, ImageInfo.standalone(format, sizeBytes));
  }

  @Override
  public void createOverlay(Path overlay, Path base, String baseFormat) {
    record("overlay " + overlay.getFileName() + " on " + base + " (" + baseFormat + ")");
    ImageInfo baseInfo = existing(base);
    if (!baseInfo.format().equals(baseFormat)) {
      throw new QemuImgException("fake: base " + base + " is " + baseInfo.format() + ", not " + baseFormat);
    }
    put(overlay, new ImageInfo("qcow2", baseInfo.virtualSize(), Optional.of(base.toString()), Optional.empty()));
  }

  @Override
  public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
    record("convert " + source + " (" + sourceFormat + ") to " + target.getFileName() + " (" + targetFormat + ")");
    put(target, ImageInfo.standalone(targetFormat, existing(source).virtualSize()));
  }

  @Override
  public void resize(Path image, String format, long sizeBytes) {
    record("resize " + image.getFileName() + " " + sizeBytes);
    ImageInfo old = existing(image);
    images.put(inode(image), new ImageInfo(old.format(), sizeBytes, old.backingFile(), old.dataFile()));
  }

  @Override
  public ImageInfo info(Path image, String format) {
    record("info " + image.getFileName());
    if (!format.equals("raw") && !format.equals("qcow2")) {
      throw new IllegalArgumentException("fake: qemu-img is only ever told raw or qcow2, got " + format);
    }
    return existing(image);
  }

  private void record(String operation) {
    operations.add(operation);
    String kind = operation.substring(0, operation.indexOf(' '));
    if (kind.equals(failing)) {
      failing = null;
      throw new QemuImgException("`qemu-img " + kind + "` failed (exit 1): fake failure");
    }
  }

  /** Files the fake did not make or register probe as raw images of their length. */
  private ImageInfo existing(Path path) {
    if (!Files.exists(path)) {
      throw new QemuImgException("fake: Could not open '" + path + "': No such file or directory");
    }
    ImageInfo info = images.get(inode(path));
    try {
      return info != null ? info : ImageInfo.standalone("raw", Files.size(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void put(Path path, ImageInfo info) {
    if (Files.exists(path)) {
      throw new QemuImgException("fake: " + path + " exists; the preparer must never overwrite an image");
    }
    write(path, "image " + info.format());
    images.put(inode(path), info);
  }

  private static Object inode(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path path, String content) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, content, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
