package io.kvmguest.api.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program's main thread after start: it waits until the JVM is asked to stop (SIGTERM, Ctrl-C),
 * when a shutdown hook closes what runs and lets the main thread return.
 */
public final class RunUntilShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(RunUntilShutdown.class);

  private final CountDownLatch closed = new CountDownLatch(1);

  private RunUntilShutdown() {}

  /** Installs the hook that closes {@code running}; call {@link #await()} once the program is ready. */
  public static RunUntilShutdown closeOnShutdown(String name, AutoCloseable running) {
    RunUntilShutdown run = new RunUntilShutdown();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> run.close(running), name + "-shutdown"));
    return run;
  }

  public void await() throws InterruptedException {
    closed.await();
  }

  private void close(AutoCloseable running) {
    try {
      running.close();
    } catch (Exception e) {
      LOG.error("shutdown", e);
    } finally {
      closed.countDown();
    }
  }
}
