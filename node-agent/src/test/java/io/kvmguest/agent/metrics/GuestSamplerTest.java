package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.qmp.QmpTimeoutException;
import io.kvmguest.agent.runtime.GuestView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class GuestSamplerTest {
  private final AtomicReference<List<GuestView>> views = new AtomicReference<>(List.of());
  private final List<String> tapReads = new CopyOnWriteArrayList<>();
  private final List<String> driveReads = new CopyOnWriteArrayList<>();
  private final GuestLifecycle lifecycle = new GuestLifecycle();

  private GuestSampler sampler(GuestSampler.Drives drives, Duration interval) {
    GuestSampler.Processes processes = pid -> pid == 42 ? Optional.of(new ProcStats.Sample(1.5, 1024)) : Optional.empty();
    GuestSampler.Taps taps = () -> {
      tapReads.add("ip");
      return Map.of("kgu10", new TapCounters(1, 2, 3, 4, 5, 6, 7, 8), "other", new TapCounters(9, 9, 9, 9, 9, 9, 9, 9));
    };
    return new GuestSampler(views::get, processes, taps, drives, lifecycle, Snapshots.NODE, interval, Clock.systemUTC());
  }

  private GuestSampler sampler() {
    return sampler(uid -> {
      driveReads.add(uid);
      return List.of(new BlockStats("drive-root", "#b", 1, 2, 3, 4));
    }, Duration.ofSeconds(5));
  }

  @Test
  void beforeTheFirstSampleOnlyTheNodeIsKnown() {
    GuestSampler sampler = sampler();
    assertEquals(List.of(), sampler.latest().guests());
    assertSame(Snapshots.NODE, sampler.latest().node());
  }

  @Test
  void aRunningGuestGetsItsProcessTapAndDriveFiguresAStoppedOneOnlyItsView() {
    views.set(List.of(Snapshots.running("u1", "vm1", 42), Snapshots.stopped("u2", "vm2")));
    MetricsSnapshot snapshot = sampler().sampleOnce();

    MetricsSnapshot.Guest running = snapshot.guests().get(0);
    assertEquals(Optional.of(new ProcStats.Sample(1.5, 1024)), running.process());
    assertEquals(Map.of("eth0", new TapCounters(1, 2, 3, 4, 5, 6, 7, 8)), running.nics(), "by NIC name; user0 has no tap");
    assertEquals("drive-root", running.drives().get(0).device());
    MetricsSnapshot.Guest stopped = snapshot.guests().get(1);
    assertEquals(Optional.empty(), stopped.process());
    assertEquals(Map.of(), stopped.nics());
    assertEquals(List.of(), stopped.drives());
    assertEquals(List.of("u1"), driveReads, "QMP only for a running guest");
    assertEquals(1, tapReads.size(), "one ip call for all taps");
  }

  @Test
  void noTapToReadMeansNoIpCall() {
    views.set(List.of(Snapshots.stopped("u2", "vm2")));
    sampler().sampleOnce();
    assertEquals(List.of(), tapReads);
  }

  @Test
  void aFailingMonitorCostsOnlyThatGuestsDrives() {
    views.set(List.of(Snapshots.running("u1", "vm1", 42)));
    GuestSampler sampler = sampler(uid -> {
      throw new QmpTimeoutException("query-blockstats", "reply", Duration.ofSeconds(2));
    }, Duration.ofSeconds(5));
    MetricsSnapshot.Guest guest = sampler.sampleOnce().guests().get(0);
    assertEquals(List.of(), guest.drives());
    assertTrue(guest.process().isPresent());
  }

  @Test
  void aGuestThatLeftIsGoneFromTheNextSampleWithItsLifecycleFigures() {
    views.set(List.of(Snapshots.running("u1", "vm1", 42)));
    lifecycle.restarted("u1");
    GuestSampler sampler = sampler();
    assertEquals(1, sampler.sampleOnce().guests().get(0).lifecycle().restarts());

    views.set(List.of());
    assertEquals(List.of(), sampler.sampleOnce().guests());
    assertEquals(0, lifecycle.figures("u1").restarts(), "forgotten, so a guest of the same uid would start at 0");
  }

  @Test
  void startedItSamplesInTheBackgroundAtItsInterval() throws Exception {
    views.set(List.of(Snapshots.running("u1", "vm1", 42)));
    AtomicInteger samples = new AtomicInteger();
    try (GuestSampler sampler = sampler(uid -> {
      samples.incrementAndGet();
      return List.of();
    }, Duration.ofMillis(20)).start()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (samples.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(samples.get() >= 3, "sampled " + samples.get() + " times");
      assertEquals(1, sampler.latest().guests().size());
    }
  }

  @Test
  void aScrapeDoesNotWaitForASlowSample() throws Exception {
    views.set(List.of(Snapshots.running("u1", "vm1", 42)));
    java.util.concurrent.CountDownLatch inQmp = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<String> order = new ArrayList<>();
    try (GuestSampler sampler = sampler(uid -> {
      inQmp.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of();
    }, Duration.ofSeconds(60)).start()) {
      assertTrue(inQmp.await(5, java.util.concurrent.TimeUnit.SECONDS));
      long t0 = System.nanoTime();
      GuestExposition.of(sampler.latest());
      order.add("scraped");
      assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos());
      release.countDown();
    }
    assertEquals(List.of("scraped"), order);
  }
}
