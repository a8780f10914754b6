package io.kvmguest.agent.metrics;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.runtime.GuestView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One sample of the node and its guests: what a scrape exports. Immutable. */
public record MetricsSnapshot(Node node, List<Guest> guests, Instant takenAt) {

  public MetricsSnapshot {
    guests = List.copyOf(guests);
  }

  /** This sample less the guests whose uid is not in {@code current}: a guest gone since is gone from the scrape too. */
  public MetricsSnapshot onlyGuests(Set<String> current) {
    return new MetricsSnapshot(node, guests.stream().filter(g -> current.contains(g.view().uid())).toList(), takenAt);
  }

  /** Before the first sample: the node's facts and no guests. */
  public static MetricsSnapshot empty(Node node) {
    return new MetricsSnapshot(node, List.of(), Instant.EPOCH);
  }

  /** Facts of the node that do not change while the agent runs. */
  public record Node(String name, boolean kvmUsable, long allocatableMemoryBytes, String qemuVersion, String machine) {
    public Node {
      qemuVersion = qemuVersion == null ? "" : qemuVersion;
    }
  }

  /**
   * One guest: the agent's view, its qemu's process figures (while it runs), counters per NIC
   * (spec name → counters, bridge NICs of a running guest) and per drive, and its lifecycle figures.
   */
  public record Guest(GuestView view, Optional<ProcStats.Sample> process, Map<String, TapCounters> nics,
      List<BlockStats> drives, GuestLifecycle.Figures lifecycle) {
    public Guest {
      nics = Map.copyOf(nics);
      drives = List.copyOf(drives);
    }
  }
}
