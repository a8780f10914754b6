package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedQemuImgTest {
  /** Converts block until released and count how many run at once; everything else returns at once. */
  static final class SlowConverts implements QemuImg {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();

    @Override
    public void convert(Path source, String sourceFormat, Path target, String targetFormat) {
      most.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public void create(Path image, String format, long sizeBytes) {}

    @Override
    public void createOverlay(Path overlay, Path base, String baseFormat) {}

    @Override
    public void resize(Path image, String format, long sizeBytes) {}

    @Override
    public ImageInfo info(Path image, String format) {
      return null;
    }
  }

  final ExecutorService pool = Executors.newFixedThreadPool(4);

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  @Test
  void copiesWaitForAPermitButEmptyImagesAndOverlaysDoNot() throws Exception {
    SlowConverts inner = new SlowConverts();
    QemuImg bounded = new BoundedQemuImg(inner, 1);
    Path p = Path.of("/nonexistent");
    Future<?> first = pool.submit(() -> bounded.convert(p, "raw", p, "qcow2"));
    Future<?> second = pool.submit(() -> bounded.convert(p, "raw", p, "qcow2"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (inner.running.get() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    // while a copy holds the only permit, a guest with an empty disk or an overlay is not held up
    pool.submit(() -> {
      bounded.create(p, "qcow2", 1L << 20);
      bounded.createOverlay(p, p, "raw");
      bounded.resize(p, "qcow2", 2L << 20);
    }).get(2, TimeUnit.SECONDS);
    inner.release.countDown();
    first.get(10, TimeUnit.SECONDS);
    second.get(10, TimeUnit.SECONDS);
    assertEquals(1, inner.most.get(), "two copies ran at once with one permit");
    assertTrue(inner.running.get() == 0);
  }
}
