package io.kvmguest.api.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core v1 Events on the guest, as {@code kubectl describe vg} shows them, aggregated like
 * Kubernetes' own event recorder: a repeat of the same event (guest uid, type, reason, message,
 * component) within {@link #REPEAT_WINDOW} of the last one raises the existing Event's count and
 * lastTimestamp instead of adding an object. Every recording is also logged.
 *
 * <p>{@link #record} never waits on the API server: it hands the write to one background thread
 * behind a queue of {@link #QUEUE_CAPACITY}, and when that is full (an API outage) drops the event,
 * with one log line when dropping starts and one when it ends. Chosen over a short request timeout
 * on the caller's thread because the caller's client retries a failed request with backoff (fabric8's
 * default: up to ten retries), so a bound of our own would need a second client; and one thread keeps
 * the writes in order, so a repeat always finds the Event its first occurrence created.
 * {@link #close} gives queued writes a moment, then stops.
 */
public final class KubernetesGuestEvents implements GuestEvents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesGuestEvents.class);
  /** How long after its last occurrence a repeat still counts on the same Event; then a new one starts. */
  public static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
  /** Distinct events remembered for counting (client-go's correlator keeps as many). */
  static final int REMEMBERED = 4096;
  /** Writes that may wait for the API server before new events are dropped. */
  static final int QUEUE_CAPACITY = 256;
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final AggregatingEventWriter writer;
  private final Clock clock;
  private final ExecutorService writes;
  private final AtomicLong dropped = new AtomicLong();

  /**
   * @param component who reports, in {@code source.component} and {@code reportingComponent}
   *     ({@code kvmguest-operator}, {@code kvmguest-node-agent})
   * @param host the node the reporter runs on, in {@code source.host} as the kubelet does; empty for the operator
   * @param clock the time of each occurrence, and the judge of the repeat window
   */
  public KubernetesGuestEvents(KubernetesClient client, String component, Optional<String> host, Clock clock) {
    this.writer = new AggregatingEventWriter(client, component, host, new RecentEvents(REPEAT_WINDOW, REMEMBERED));
    this.clock = clock;
    this.writes = writerThread(component);
  }

  @Override
  public void record(VirtualGuest guest, String type, String reason, String message) {
    EventLog.write(guest, type, reason, message);
    EventOccurrence occurrence = EventOccurrence.of(guest, type, reason, message, clock.instant());
    try {
      writes.execute(() -> write(occurrence));
      long missed = dropped.getAndSet(0);
      if (missed > 0) {
        LOG.warn("recording events again after dropping {} while the API server did not keep up", missed);
      }
    } catch (RejectedExecutionException e) {
      if (writes.isShutdown()) {
        LOG.warn("dropped {}: recording has stopped", occurrence.describe());
      } else if (dropped.getAndIncrement() == 0) {
        // One line per outage, not per event: each event is in the log already (EventLog, above).
        LOG.warn("dropping events, the first {}: {} writes already wait for the API server", occurrence.describe(), QUEUE_CAPACITY);
      }
    }
  }

  private void write(EventOccurrence occurrence) {
    try {
      writer.write(occurrence);
    } catch (RuntimeException e) {
      // The writer logs the API's answers; this is anything else (an interrupted close, a bug), still never the caller's problem.
      LOG.warn("could not write {}", occurrence.describe(), e);
    }
  }

  /** Stops the writer thread after it wrote what is queued, or after a short grace when the API server does not answer. */
  @Override
  public void close() {
    writes.shutdown();
    try {
      if (!writes.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("stopped recording events with {} not written", writes.shutdownNow().size());
      }
    } catch (InterruptedException e) {
      writes.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutorService writerThread(String component) {
    return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY), task -> {
      // Daemon: a program that exits without close() must not wait on an unreachable API server.
      Thread thread = new Thread(task, component + "-events");
      thread.setDaemon(true);
      return thread;
    });
  }
}
