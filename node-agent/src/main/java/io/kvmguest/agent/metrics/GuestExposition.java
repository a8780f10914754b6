package io.kvmguest.agent.metrics;

import io.kvmguest.agent.qmp.BlockStats;
import io.kvmguest.agent.runtime.GuestView;
import io.kvmguest.api.v1alpha1.Enums;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The guest and node metrics of one {@link MetricsSnapshot}, as Prometheus metric families. Pure:
 * a guest that is not in the snapshot has no series. Names are given without the {@code _total}
 * and {@code _info} suffixes the exposition adds (see {@link #NAMES} for the exported ones).
 */
public final class GuestExposition {
  private GuestExposition() {}

  /** Exported family names (as a scrape shows them after # TYPE), in exposition order. */
  public static final List<String> NAMES = List.of(
      "kvmguest_guest_info", "kvmguest_guest_up", "kvmguest_guest_vcpus", "kvmguest_guest_memory_bytes",
      "kvmguest_guest_cpu_seconds_total", "kvmguest_guest_memory_resident_bytes",
      "kvmguest_guest_network_receive_bytes_total", "kvmguest_guest_network_transmit_bytes_total",
      "kvmguest_guest_network_receive_packets_total", "kvmguest_guest_network_transmit_packets_total",
      "kvmguest_guest_network_receive_errors_total", "kvmguest_guest_network_transmit_errors_total",
      "kvmguest_guest_network_receive_dropped_total", "kvmguest_guest_network_transmit_dropped_total",
      "kvmguest_guest_block_read_bytes_total", "kvmguest_guest_block_write_bytes_total",
      "kvmguest_guest_block_read_operations_total", "kvmguest_guest_block_write_operations_total",
      "kvmguest_guest_block_read_seconds_total", "kvmguest_guest_block_write_seconds_total",
      "kvmguest_guest_block_flush_operations_total",
      "kvmguest_guest_restarts_total", "kvmguest_guest_boot_seconds", "kvmguest_guest_start_seconds",
      "kvmguest_node_kvm_usable", "kvmguest_node_guests", "kvmguest_node_allocatable_memory_bytes",
      "kvmguest_node_allocated_memory_bytes");

  private record NicCounter(String name, String help, ToLongFunction<TapCounters> value) {}

  private static final List<NicCounter> NIC_COUNTERS = List.of(
      new NicCounter("receive_bytes", "Bytes the guest received on this NIC (its host tap's transmit).", TapCounters::receiveBytes),
      new NicCounter("transmit_bytes", "Bytes the guest sent on this NIC (its host tap's receive).", TapCounters::transmitBytes),
      new NicCounter("receive_packets", "Packets the guest received on this NIC.", TapCounters::receivePackets),
      new NicCounter("transmit_packets", "Packets the guest sent on this NIC.", TapCounters::transmitPackets),
      new NicCounter("receive_errors", "Errors on packets towards the guest on this NIC (host tap transmit errors).", TapCounters::receiveErrors),
      new NicCounter("transmit_errors", "Errors on packets from the guest on this NIC (host tap receive errors).", TapCounters::transmitErrors),
      new NicCounter("receive_dropped", "Packets towards the guest dropped on this NIC (host tap transmit drops).", TapCounters::receiveDropped),
      new NicCounter("transmit_dropped", "Packets from the guest dropped on this NIC (host tap receive drops).", TapCounters::transmitDropped));

  private record DriveCounter(String name, String help, double scale, ToLongFunction<BlockStats> value) {}

  private static final List<DriveCounter> DRIVE_COUNTERS = List.of(
      new DriveCounter("read_bytes", "Bytes the guest read from this drive (QMP query-blockstats rd_bytes).", 1, BlockStats::rdBytes),
      new DriveCounter("write_bytes", "Bytes the guest wrote to this drive (wr_bytes).", 1, BlockStats::wrBytes),
      new DriveCounter("read_operations", "Read requests the guest made to this drive (rd_operations).", 1, BlockStats::rdOperations),
      new DriveCounter("write_operations", "Write requests the guest made to this drive (wr_operations).", 1, BlockStats::wrOperations),
      new DriveCounter("read_seconds", "Time this drive's read requests took, summed (rd_total_time_ns).", 1e-9, BlockStats::rdTotalTimeNs),
      new DriveCounter("write_seconds", "Time this drive's write requests took, summed (wr_total_time_ns).", 1e-9, BlockStats::wrTotalTimeNs),
      new DriveCounter("flush_operations", "Flush requests the guest made to this drive (flush_operations).", 1, BlockStats::flushOperations));

  public static MetricSnapshots of(MetricsSnapshot snapshot) {
    String node = snapshot.node().name();
    InfoSnapshot.Builder info = InfoSnapshot.builder().name("kvmguest_guest")
        .help("Facts of a guest on this node (value 1): its accelerator, machine type, qemu version and phase.");
    GaugeSnapshot.Builder up = gauge("kvmguest_guest_up", "1 while the guest's qemu runs on this node, else 0.");
    GaugeSnapshot.Builder vcpus = gauge("kvmguest_guest_vcpus", "Virtual CPUs the guest is configured with (spec.cpus).");
    GaugeSnapshot.Builder memory = gauge("kvmguest_guest_memory_bytes", "Memory the guest is configured with (spec.memory), in bytes.");
    CounterSnapshot.Builder cpu = counter("kvmguest_guest_cpu_seconds",
        "CPU time the guest's qemu process used (user + system, all threads), in seconds.");
    GaugeSnapshot.Builder rss = gauge("kvmguest_guest_memory_resident_bytes", "Resident memory of the guest's qemu process (VmRSS), in bytes.");
    Map<String, CounterSnapshot.Builder> nicFamilies = new LinkedHashMap<>();
    NIC_COUNTERS.forEach(c -> nicFamilies.put(c.name(), counter("kvmguest_guest_network_" + c.name(), c.help())));
    Map<String, CounterSnapshot.Builder> driveFamilies = new LinkedHashMap<>();
    DRIVE_COUNTERS.forEach(c -> driveFamilies.put(c.name(), counter("kvmguest_guest_block_" + c.name(), c.help())));
    CounterSnapshot.Builder restarts = counter("kvmguest_guest_restarts",
        "Times the agent started the guest's qemu again (after an exit or a restart request) since the agent started.");
    HistogramSnapshot.Builder boot = HistogramSnapshot.builder().name("kvmguest_guest_boot_seconds")
        .help("Time from qemu starting to the guest's first verified IP address in status, in seconds.");
    HistogramSnapshot.Builder start = HistogramSnapshot.builder().name("kvmguest_guest_start_seconds")
        .help("Time from the agent seeing the guest assigned to this node to its qemu started, in seconds.");

    Map<String, Long> phases = new LinkedHashMap<>();
    for (Enums.Phase phase : Enums.Phase.values()) {
      phases.put(phase.name(), 0L);
    }
    long allocated = 0;
    for (MetricsSnapshot.Guest guest : snapshot.guests()) {
      GuestView view = guest.view();
      Labels labels = Labels.of("namespace", view.namespace(), "name", view.name(), "node", node);
      phases.merge(view.phase(), 1L, Long::sum);
      if (view.running()) {
        allocated += view.memoryBytes();
      }
      info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(labels.merge(Labels.of(
          "accelerator", view.accelerator(), "machine", snapshot.node().machine(),
          "qemu_version", snapshot.node().qemuVersion(), "phase", view.phase()))).build());
      up.dataPoint(gaugePoint(view.running() ? 1 : 0, labels));
      vcpus.dataPoint(gaugePoint(view.vcpus(), labels));
      memory.dataPoint(gaugePoint(view.memoryBytes(), labels));
      guest.process().ifPresent(p -> {
        cpu.dataPoint(counterPoint(p.cpuSeconds(), labels));
        rss.dataPoint(gaugePoint(p.residentBytes(), labels));
      });
      for (GuestView.Nic nic : view.nics()) {
        TapCounters counters = guest.nics().get(nic.name());
        if (counters == null) {
          continue;
        }
        Labels nicLabels = labels.merge(Labels.of("interface", nic.name(), "model", nic.model(), "mac", nic.mac()));
        NIC_COUNTERS.forEach(c -> nicFamilies.get(c.name()).dataPoint(counterPoint(c.value().applyAsLong(counters), nicLabels)));
      }
      for (BlockStats drive : guest.drives()) {
        Labels driveLabels = labels.merge(Labels.of("drive", driveName(drive.device())));
        DRIVE_COUNTERS.forEach(c -> driveFamilies.get(c.name())
            .dataPoint(counterPoint(c.value().applyAsLong(drive) * c.scale(), driveLabels)));
      }
      restarts.dataPoint(counterPoint(guest.lifecycle().restarts(), labels));
      boot.dataPoint(histogramPoint(guest.lifecycle().boot(), labels));
      start.dataPoint(histogramPoint(guest.lifecycle().start(), labels));
    }
    Labels nodeLabels = Labels.of("node", node);
    GaugeSnapshot.Builder guests = gauge("kvmguest_node_guests", "Guests assigned to this node, by the phase the agent gives them.");
    phases.forEach((phase, count) -> guests.dataPoint(gaugePoint(count, nodeLabels.add("phase", phase))));

    List<MetricSnapshot> families = new ArrayList<>();
    families.add(info.build());
    families.add(up.build());
    families.add(vcpus.build());
    families.add(memory.build());
    families.add(cpu.build());
    families.add(rss.build());
    nicFamilies.values().forEach(b -> families.add(b.build()));
    driveFamilies.values().forEach(b -> families.add(b.build()));
    families.add(restarts.build());
    families.add(boot.build());
    families.add(start.build());
    families.add(gauge("kvmguest_node_kvm_usable", "1 when guests on this node can use KVM (/dev/kvm usable, hardware virtualization), else 0.")
        .dataPoint(gaugePoint(snapshot.node().kvmUsable() ? 1 : 0, nodeLabels)).build());
    families.add(guests.build());
    families.add(gauge("kvmguest_node_allocatable_memory_bytes",
        "Memory guests may be given on this node (MemTotal less the agent's reserve), in bytes.")
        .dataPoint(gaugePoint(snapshot.node().allocatableMemoryBytes(), nodeLabels)).build());
    families.add(gauge("kvmguest_node_allocated_memory_bytes",
        "Configured memory of the guests whose qemu runs on this node, summed, in bytes.")
        .dataPoint(gaugePoint(allocated, nodeLabels)).build());
    return new MetricSnapshots(families);
  }

  /** A drive label: the spec's disk or cdrom name (qemu's drive id less the agent's "drive-" prefix). */
  static String driveName(String device) {
    return device.startsWith("drive-") ? device.substring("drive-".length()) : device;
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static CounterSnapshot.Builder counter(String name, String help) {
    return CounterSnapshot.builder().name(name).help(help);
  }

  private static GaugeSnapshot.GaugeDataPointSnapshot gaugePoint(double value, Labels labels) {
    return GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static CounterSnapshot.CounterDataPointSnapshot counterPoint(double value, Labels labels) {
    return CounterSnapshot.CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static HistogramSnapshot.HistogramDataPointSnapshot histogramPoint(LatencyHistogram.Snapshot h, Labels labels) {
    double[] bounds = new double[h.bounds().length + 1];
    System.arraycopy(h.bounds(), 0, bounds, 0, h.bounds().length);
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    long[] counts = new long[h.cumulativeCounts().length];
    long previous = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = h.cumulativeCounts()[i] - previous; // ClassicHistogramBuckets takes per-bucket counts
      previous = h.cumulativeCounts()[i];
    }
    return HistogramSnapshot.HistogramDataPointSnapshot.builder()
        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
        .sum(h.sum()).labels(labels).exemplars(Exemplars.EMPTY).build();
  }
}
