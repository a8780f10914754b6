package io.kvmguest.agent.disk;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * At most {@code permits} full image copies ({@code qemu-img convert}) at once across all guests:
 * a burst of guests copying images in parallel would only share the same disks and cores more
 * slowly. Creating an empty image or an overlay, resizing and reading an image's facts write only
 * metadata and never wait, so a guest with a small disk does not queue behind another's copy.
 * Downloads are not limited here: a slow server holds no permit, so it cannot hold up another
 * guest's start.
 */
public final class BoundedQemuImg implements QemuImg {
  private final QemuImg inner;
  private final Semaphore permits;

  public BoundedQemuImg(QemuImg inner, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, got " + permits);
    }
    this.inner = inner;
    this.permits = new Semaphore(permits, true);
  }

  @Override
  public void create(Path image, String format, long sizeBytes) {
    inner.create(image, format, sizeBytes);
  }

  @Override
  public void createOverlay(Path overlay, Path base, String baseFormat) {
    inner.createOverlay(overlay, base, baseFormat);
  }

  @Override
  public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
    limited(() -> inner.convert(source, sourceFormat, target, targetFormat));
  }

  @Override
  public void resize(Path image, String format, long sizeBytes) {
    inner.resize(image, format, sizeBytes);
  }

  @Override
  public ImageInfo info(Path image, String format) {
    return inner.info(image, format);
  }

  private void limited(Runnable write) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QemuImgException("interrupted while waiting for an image write slot", e);
    }
    try {
      write.run();
    } finally {
      permits.release();
    }
  }
}
