package io.kvmguest.agent.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusOutboxTest {
  /** A sink that fails while {@code down}, like the API server in an outage, and records what it was given. */
  static final class FlakySink implements StatusSink {
    final AtomicBoolean down = new AtomicBoolean();
    final List<String> written = new CopyOnWriteArrayList<>();
    volatile CountDownLatch hold = new CountDownLatch(0);

    @Override
    public void report(VirtualGuest guest, VirtualGuestStatus status) {
      if (guest.getMetadata().getName().equals("slow")) {
        await(hold);
      }
      if (down.get()) {
        throw new IllegalStateException("connection refused");
      }
      written.add(guest.getMetadata().getName() + ":" + status.phase());
    }

    @Override
    public void releaseFinalizer(VirtualGuest guest) {
      if (down.get()) {
        throw new IllegalStateException("connection refused");
      }
      written.add(guest.getMetadata().getName() + ":released");
    }

    private static void await(CountDownLatch latch) {
      try {
        latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  final FlakySink sink = new FlakySink();
  final StatusOutbox outbox = new StatusOutbox(sink, Clock.systemUTC(), 2);

  @AfterEach
  void tearDown() {
    outbox.close();
  }

  static VirtualGuest guest(String name) {
    VirtualGuest g = new VirtualGuest();
    g.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid("uid-" + name).build());
    return g;
  }

  static VirtualGuestStatus phase(String phase) {
    return new VirtualGuestStatus(phase, null, 1L, List.of(), List.of(), null, null, null);
  }

  @Test
  void anOutageIsRetriedUntilTheApiIsBackAndOnlyTheLatestStatusIsWritten() {
    sink.down.set(true);
    outbox.status(guest("a"), phase("Starting"));
    await().atMost(Duration.ofSeconds(5)).until(() -> outbox.failures().containsKey("uid-a"));
    assertTrue(outbox.failures().get("uid-a").contains("connection refused"), outbox.failures().toString());
    outbox.status(guest("a"), phase("Running"));

    sink.down.set(false);
    await().atMost(Duration.ofSeconds(5)).until(outbox::idle);
    assertEquals(List.of("a:Running"), sink.written, "the stale Starting is replaced, not written after Running");
    assertTrue(outbox.failures().isEmpty());
  }

  @Test
  void aSlowWriteOfOneGuestDoesNotHoldUpAnother() {
    sink.hold = new CountDownLatch(1);
    outbox.status(guest("slow"), phase("Running"));
    outbox.status(guest("b"), phase("Running"));
    await().atMost(Duration.ofSeconds(5)).until(() -> sink.written.contains("b:Running"));
    sink.hold.countDown();
    await().atMost(Duration.ofSeconds(5)).until(outbox::idle);
    assertEquals(2, sink.written.size());
  }

  @Test
  void aReleasedFinalizerIsFinalStatusWaitingBehindItIsDropped() {
    sink.down.set(true);
    outbox.status(guest("gone"), phase("Stopping"));
    outbox.releaseFinalizer(guest("gone"));
    outbox.status(guest("gone"), phase("Stopped"));
    sink.down.set(false);
    await().atMost(Duration.ofSeconds(5)).until(outbox::idle);
    assertEquals(List.of("gone:released"), sink.written);
  }
}
