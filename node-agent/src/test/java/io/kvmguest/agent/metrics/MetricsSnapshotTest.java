package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsSnapshotTest {

  @Test
  void aGuestDeletedSinceTheSampleIsLeftOut() {
    MetricsSnapshot sample = Snapshots.of(Snapshots.sampled(Snapshots.running("u1", "vm1", 41)),
        Snapshots.sampled(Snapshots.running("u2", "vm2", 42)));

    MetricsSnapshot now = sample.onlyGuests(Set.of("u1"));

    assertEquals(1, now.guests().size());
    assertEquals("vm1", now.guests().get(0).view().name());
    assertEquals(sample.node(), now.node());
    assertEquals(sample.takenAt(), now.takenAt());
  }
}
