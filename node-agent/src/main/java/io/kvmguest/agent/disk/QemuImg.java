package io.kvmguest.agent.disk;

import java.nio.file.Path;

/**
 * The image operations the agent needs from {@code qemu-img}. All paths are absolute; every
 * format is named, raw or qcow2 (qemu-img never probes). Failures throw {@link QemuImgException}.
 */
public interface QemuImg {

  /** A new empty image ({@code qemu-img create -f FORMAT IMAGE SIZE}). */
  void create(Path image, String format, long sizeBytes);

  /**
   * A new qcow2 overlay that reads through to {@code base} and writes only to itself
   * ({@code qemu-img create -f qcow2 -b BASE -F BASEFORMAT OVERLAY}); its size is the base's.
   */
  void createOverlay(Path overlay, Path base, String baseFormat);

  /** A full copy of {@code source} in {@code targetFormat} ({@code qemu-img convert}). */
  void convert(Path source, String sourceFormat, Path target, String targetFormat);

  /** Grows (or shrinks) the virtual disk ({@code qemu-img resize}). */
  void resize(Path image, String format, long sizeBytes);

  /** Facts about an existing image, opened as {@code format}. */
  ImageInfo info(Path image, String format);
}
