package io.kvmguest.agent.net;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link HostBridge#repair()} every interval on a daemon thread of its own, so a dnsmasq that
 * died, rules someone flushed or a bridge someone deleted come back without an agent restart. The
 * listener hears of every check that put something back; a failure to repair is told when it first
 * appears or changes, so a network that stays broken does not repeat the same news every interval.
 */
public final class NetworkWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkWatchdog.class);
  /** A check runs commands with timeouts of their own (dnsmasq start 10 s, iptables 15 s each). */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);

  /** Told on the watchdog's thread; should return quickly. */
  public interface Listener {
    void repaired(NetworkRepair what);
  }

  private final HostBridge bridge;
  private final Duration interval;
  private final Listener listener;
  private final Object checking = new Object();
  private Optional<String> lastFailure = Optional.empty();
  private ScheduledExecutorService timer;
  private boolean closed;

  public NetworkWatchdog(HostBridge bridge, Duration interval, Listener listener) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the network check interval must be positive, got " + interval);
    }
    this.bridge = bridge;
    this.interval = interval;
    this.listener = listener;
  }

  /** Starts the checks; the first one runs one interval from now (ensure() has just run). */
  public synchronized NetworkWatchdog start() {
    if (timer != null || closed) {
      throw new IllegalStateException("the network watchdog can be started once");
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "network-watchdog");
      t.setDaemon(true);
      return t;
    });
    // With a fixed delay, a slow check (a hung iptables) never makes checks pile up.
    timer.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check on the caller's thread, as the timer runs it; tells the listener as the timer would. */
  public NetworkRepair check() {
    synchronized (checking) {
      NetworkRepair what = bridge.repair();
      boolean news = !what.repaired().isEmpty() || (what.failure().isPresent() && !what.failure().equals(lastFailure));
      lastFailure = what.failure();
      if (news) {
        listener.repaired(what);
      }
      return what;
    }
  }

  private void checkQuietly() {
    try {
      check();
    } catch (RuntimeException | Error e) {
      // Anything thrown out of a scheduled task cancels every later run: the checks would stop for good.
      LOG.error("network check failed; next try in {}", interval, e);
    }
  }

  /**
   * Stops the checks and waits for one under way, so that a teardown after close() never races a
   * repair re-creating what it removes.
   */
  @Override
  public void close() {
    ScheduledExecutorService running;
    synchronized (this) {
      closed = true;
      running = timer;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("a network check still runs after {} s; interrupting it", CLOSE_WAIT.toSeconds());
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
