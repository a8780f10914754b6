package io.kvmguest.agent.runtime;

import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes guests' status and finalizer releases on threads of its own, so a slow or absent API
 * server never holds up a guest's start, stop or supervision. Per guest, only the latest status
 * waits (a newer one replaces it) and writes happen one at a time; a failed write is tried again
 * every {@link #RETRY} until it succeeds or is replaced, so status converges soon after the API returns.
 */
final class StatusOutbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusOutbox.class);
  static final Duration RETRY = Duration.ofSeconds(1);

  /** One write: a status, or the release of the guest's finalizer (which ends its writes). */
  private record Write(VirtualGuest guest, Optional<VirtualGuestStatus> status) {
    void to(StatusSink sink) {
      if (status.isPresent()) {
        sink.report(guest, status.get());
      } else {
        sink.releaseFinalizer(guest);
      }
    }
  }

  private record Failure(String error, Instant since) {}

  private final StatusSink sink;
  private final Clock clock;
  private final ScheduledExecutorService writers;
  private final Map<String, Write> waiting = new ConcurrentHashMap<>();
  private final Map<String, Boolean> writing = new ConcurrentHashMap<>();
  private final Map<String, Failure> failing = new ConcurrentHashMap<>();

  StatusOutbox(StatusSink sink, Clock clock, int threads) {
    this.sink = sink;
    this.clock = clock;
    this.writers = Executors.newScheduledThreadPool(threads, daemonThreads());
  }

  void status(VirtualGuest guest, VirtualGuestStatus status) {
    offer(new Write(guest, Optional.of(status)));
  }

  /** After the guest's cleanup on this node: releases its finalizer; statuses still waiting are dropped. */
  void releaseFinalizer(VirtualGuest guest) {
    offer(new Write(guest, Optional.empty()));
  }

  /** Guests whose writes fail, each with the error and since when (for the node's degraded report). */
  Map<String, String> failures() {
    Map<String, String> out = new java.util.TreeMap<>();
    failing.forEach((uid, f) -> out.put(uid, f.error() + " (since " + f.since() + ")"));
    return out;
  }

  /** Whether nothing is waiting or being written: for callers that want to see everything written. */
  boolean idle() {
    return waiting.isEmpty() && writing.isEmpty();
  }

  @Override
  public void close() {
    writers.shutdownNow();
  }

  private void offer(Write write) {
    String uid = GuestIdentity.uid(write.guest());
    waiting.merge(uid, write, (old, neu) -> old.status().isEmpty() ? old : neu); // a release is final
    drain(uid, Duration.ZERO);
  }

  private void drain(String uid, Duration after) {
    if (writing.putIfAbsent(uid, Boolean.TRUE) != null) {
      return; // the running write looks again when it is done
    }
    try {
      writers.schedule(() -> writeNext(uid), after.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      writing.remove(uid);
    }
  }

  private void writeNext(String uid) {
    Write write = waiting.remove(uid);
    boolean failed = false;
    if (write != null) {
      try {
        write.to(sink);
        if (failing.remove(uid) != null) {
          LOG.info("{}: status written again", GuestIdentity.key(write.guest()));
        }
      } catch (RuntimeException e) {
        failed = true;
        // back in line unless a newer write arrived meanwhile; a finalizer release stays final either way
        waiting.merge(uid, write, (newer, failedOne) -> failedOne.status().isEmpty() ? failedOne : newer);
        if (failing.putIfAbsent(uid, new Failure(e.getMessage(), clock.instant())) == null) {
          LOG.warn("{}: status not written, trying again every {} s: {}", GuestIdentity.key(write.guest()), RETRY.toSeconds(), e.toString());
        }
      }
    }
    writing.remove(uid);
    if (waiting.containsKey(uid)) {
      drain(uid, failed ? RETRY : Duration.ZERO);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "status-writer-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
