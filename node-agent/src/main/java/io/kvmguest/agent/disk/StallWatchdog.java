package io.kvmguest.agent.disk;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Closes a stream whose reader is blocked too long. The JDK HTTP client bounds only the time to
 * the response headers; a body read blocks forever on a server that stops sending, and closing the
 * stream is what wakes it.
 */
final class StallWatchdog implements AutoCloseable {
  private final Closeable stream;
  private final long stallNanos;
  private final long deadline;
  private final ScheduledExecutorService timer;
  private volatile long lastProgress = System.nanoTime();
  private volatile String firedReason;

  StallWatchdog(Closeable stream, Duration stall, Duration max) {
    this.stream = stream;
    this.stallNanos = stall.toNanos();
    this.deadline = System.nanoTime() + max.toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "download-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    long period = Math.max(10, Math.min(1000, stall.toMillis() / 4));
    timer.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  /** Bytes arrived: the stall clock starts again. */
  void progress() {
    lastProgress = System.nanoTime();
  }

  /** Why the stream was closed, or null when it was not. */
  String firedReason() {
    return firedReason;
  }

  private void check() {
    long now = System.nanoTime();
    String reason = now - lastProgress > stallNanos ? "no data for " + TimeUnit.NANOSECONDS.toMillis(stallNanos) + " ms"
        : now > deadline ? "the download took longer than its limit" : null;
    if (reason != null && firedReason == null) {
      firedReason = reason;
      try {
        stream.close();
      } catch (IOException ignored) {
        // The reader sees the closed stream either way.
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
