package io.kvmguest.agent.disk;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * At most {@code permits} image writes (create, convert, resize) at once across all guests: a
 * burst of guests copying images in parallel would only share the same disks and cores more
 * slowly. Reading an image's facts is cheap and never waits. Downloads are not limited here: a
 * slow server holds no permit, so it cannot hold up another guest's start.
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
    limited(() -> inner.create(image, format, sizeBytes));
  }

  @Override
  public void createOverlay(Path overlay, Path base, String baseFormat) {
    limited(() -> inner.createOverlay(overlay, base, baseFormat));
  }

  @Override
  public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
    limited(() -> inner.convert(source, sourceFormat, target, targetFormat));
  }

  @Override
  public void resize(Path image, String format, long sizeBytes) {
    limited(() -> inner.resize(image, format, sizeBytes));
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
