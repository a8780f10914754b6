package io.kvmguest.agent.metrics;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.runtime.GuestView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fake guests and snapshots for the metrics tests. */
final class Snapshots {
  static final MetricsSnapshot.Node NODE = new MetricsSnapshot.Node("node-a", true, 8L << 30, "7.2.22", "pc");

  private Snapshots() {}

  static GuestView running(String uid, String name, long pid) {
    return new GuestView(uid, "ns1", name, "Running", Optional.of(pid), 2, 512L << 20, "kvm",
        List.of(new GuestView.Nic("eth0", "virtio", "52:54:00:12:34:56", Optional.of("kg" + uid + "0")),
            new GuestView.Nic("user0", "e1000", "52:54:00:12:34:57", Optional.empty())));
  }

  static GuestView stopped(String uid, String name) {
    return new GuestView(uid, "ns1", name, "Stopped", Optional.empty(), 1, 256L << 20, null, List.of());
  }

  static MetricsSnapshot.Guest sampled(GuestView view) {
    GuestLifecycle lifecycle = new GuestLifecycle();
    lifecycle.started(view.uid(), Duration.ofMillis(700));
    lifecycle.booted(view.uid(), Duration.ofSeconds(12));
    lifecycle.restarted(view.uid());
    return new MetricsSnapshot.Guest(view, Optional.of(new ProcStats.Sample(12.34, 300L << 20)),
        Map.of("eth0", new TapCounters(1000, 2000, 10, 20, 1, 2, 3, 4)),
        List.of(new BlockStats("drive-root", "#block123", 4096, 8192, 4, 8, 1_500_000_000L, 2_500_000_000L, 5)),
        lifecycle.figures(view.uid()));
  }

  static MetricsSnapshot of(MetricsSnapshot.Guest... guests) {
    return new MetricsSnapshot(NODE, List.of(guests), Instant.parse("2026-01-01T00:00:00Z"));
  }

  static MetricsSnapshot.Guest unsampled(GuestView view) {
    return new MetricsSnapshot.Guest(view, Optional.empty(), Map.of(), List.of(), GuestLifecycle.Figures.NONE);
  }
}
