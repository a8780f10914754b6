package io.kvmguest.agent.qmp;

import static io.kvmguest.agent.qmp.UnixSocketQmpMonitor.closeQuietly;
import static io.kvmguest.agent.qmp.UnixSocketQmpMonitor.remaining;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Connects to a unix socket that may not exist yet: qemu creates its QMP socket shortly after start. */
final class UnixSocketDialer {
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private UnixSocketDialer() {}

  /** Retries until {@code deadline} (a {@link System#nanoTime()} value); {@code timeout} is for messages. */
  static SocketChannel dial(Path socket, Duration timeout, long deadline) {
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
    while (true) {
      SocketChannel channel = null;
      try {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        connectBounded(channel, address, remaining(deadline));
        return channel;
      } catch (IOException e) {
        closeQuietly(channel);
        if (System.nanoTime() - deadline >= 0) {
          throw new QmpConnectionException("", "cannot connect to QMP socket " + socket + " within "
              + timeout.toMillis() + " ms: " + e, e);
        }
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(RETRY_NANOS, remaining(deadline).toNanos()));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new QmpConnectionException("", "interrupted while connecting to " + socket, interrupted);
        }
      }
    }
  }

  /** A unix connect blocks while the listener's backlog is full (qemu serves one client at a time). */
  private static void connectBounded(SocketChannel channel, UnixDomainSocketAddress address, Duration limit)
      throws IOException {
    CompletableFuture<Void> watchdog = CompletableFuture.runAsync(() -> closeQuietly(channel),
        CompletableFuture.delayedExecutor(limit.toNanos(), TimeUnit.NANOSECONDS));
    try {
      channel.connect(address);
    } finally {
      watchdog.cancel(false);
    }
  }
}
