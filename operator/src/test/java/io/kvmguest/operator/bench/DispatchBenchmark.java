package io.kvmguest.operator.bench;

import static io.kvmguest.operator.testing.TestCluster.GI;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.GuestOperator;
import io.kvmguest.operator.OperatorFactory;
import io.kvmguest.operator.OperatorOptions;
import io.kvmguest.operator.placement.Assignment;
import io.kvmguest.operator.placement.Demands;
import io.kvmguest.operator.placement.GuestDemand;
import io.kvmguest.operator.placement.NodeCapacity;
import io.kvmguest.operator.placement.Placement;
import io.kvmguest.operator.placement.PlacementPolicy;
import io.kvmguest.operator.placement.ReservationBook;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.operator.testing.FakeNodeAgent;
import io.kvmguest.operator.testing.FakeNodes;
import io.kvmguest.operator.testing.Guests;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * Dispatch figures against the fabric8 CRUD mock server, each scenario on a fresh server with
 * the real operator: create → Scheduled, create → Running (a fake agent starts labelled guests at
 * once), and placement of 1,000 guests over 50 nodes (pure Placement loop, the operator's
 * ReservationBook, and through the operator, which for this one runs in a JVM of its own). Not a
 * test: prints its figures, and writes them with the goals as markdown to the file given as argument
 * 1 ({@code make bench} splices that section into docs/benchmarks.md).
 */
public final class DispatchBenchmark {
  private static final String NS = "bench";
  /** Held so the level sticks: java.util.logging keeps loggers only weakly. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private DispatchBenchmark() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    MOCK_LOG.setLevel(Level.WARNING);
    System.out.println("kvmguest operator dispatch benchmark (fabric8 CRUD mock server, " + Runtime.getRuntime().availableProcessors() + " CPUs)");
    BenchReport report = new BenchReport();
    mockBaseline(report, 300);
    purePlacement(report, 1000, 50);
    scheduled(report, 100, 10);
    agentStarted(report, 20, 10);
    agentStarted(report, 100, 10);
    throughOperator(report, 1000, 50);
    if (args.length > 0) {
      Path out = Path.of(args[0]);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, report.markdown(INTRO));
      System.out.println("written to " + out.toAbsolutePath());
    }
    System.exit(0);
  }

  private static final String INTRO = """
      ## Operator: dispatch, placement and memory with 1,000 guests

      `io.kvmguest.operator.bench.DispatchBenchmark` (operator test sources), the last step of `make bench`:
      `java -cp operator/target/test-classes:operator/target/classes:$(cat operator/target/test-classpath.txt)
      io.kvmguest.operator.bench.DispatchBenchmark target/bench/operator-dispatch.md`. Each scenario runs the
      real operator against a fresh fabric8 mock API server (in the benchmark's JVM) with fake nodes publishing
      heartbeats. The 1,000-guest run starts the operator (`OperatorMain`) as a process of its own with the
      pod's JVM, read from the chart's defaults (its `operator.javaToolOptions` in `JAVA_TOOL_OPTIONS`, its
      memory limit as `-XX:MaxRAM`), so its memory is its own; create → Scheduled is timed by a watch of
      the benchmark's. Where that memory goes, and what each JVM option and reconcile thread count measured:
      docs/operator.md, "Benchmark".""";

  /** What the mock server itself manages here, for scale: the operator makes ~6 requests per new guest. */
  private static void mockBaseline(BenchReport report, int requests) {
    try (MockApi api = new MockApi()) {
      for (int round = 0; round < 2; round++) { // the second round is measured
        long t0 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
          api.client.resource(Guests.guest(NS, "r" + round + "-" + i, "64Mi", 1)).create();
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < requests; i++) {
          api.client.resources(VirtualGuest.class).inNamespace(NS).withName("r" + round + "-" + i).get();
        }
        long t2 = System.nanoTime();
        if (round == 1) {
          report.figure("mock server alone, one client thread", String.format("%.0f creates/s, %.0f gets/s",
              requests / ((t1 - t0) / 1e9), requests / ((t2 - t1) / 1e9)));
        }
      }
    }
  }

  /** 512Mi..2Gi and 1..4 vCPUs, drawn from a fixed seed so every run places the same guests. */
  private static List<VirtualGuest> guests(int count, long seed) {
    Random random = new Random(seed);
    String[] sizes = {"512Mi", "1Gi", "2Gi"};
    List<VirtualGuest> guests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      VirtualGuest guest = Guests.guest(NS, "vm-" + i, sizes[random.nextInt(sizes.length)], 1 + random.nextInt(4), Guests.nic("eth0"));
      guest.getMetadata().setUid("uid-" + i);
      guests.add(guest);
    }
    return guests;
  }

  private static void purePlacement(BenchReport report, int guestCount, int nodeCount) {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      nodes.add(new NodeCapacity("node-" + i, Map.of(), true, i % 2 == 0, 64 * GI, 32));
    }
    List<VirtualGuest> guests = guests(guestCount, 1);
    for (int round = 0; round < 3; round++) { // the last round is measured, the first two warm up
      Placement placement = new Placement(PlacementPolicy.SPREAD, 2.0);
      Map<String, Placement.Reserved> reserved = new HashMap<>();
      long t0 = System.nanoTime();
      int placed = 0;
      for (VirtualGuest guest : guests) {
        GuestDemand demand = Demands.of(guest);
        var node = placement.place(demand, nodes, reserved).node();
        if (node.isPresent()) {
          reserved.merge(node.get(), Placement.Reserved.NONE.plus(demand), (a, b) -> new Placement.Reserved(a.memoryBytes() + b.memoryBytes(), a.cpus() + b.cpus()));
          placed++;
        }
      }
      long pure = System.nanoTime() - t0;
      ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 2.0));
      long t1 = System.nanoTime();
      for (VirtualGuest guest : guests) {
        book.place(guest, nodes, () -> guests);
      }
      long booked = System.nanoTime() - t1;
      if (round == 2) {
        report.figure(String.format("placement of %,d guests over %d nodes, pure `Placement`", guestCount, nodeCount),
            String.format("%.1f ms (%.1f µs a guest, %d placed)", pure / 1e6, pure / 1e3 / guestCount, placed));
        report.figure(String.format("the same through `ReservationBook` with a %,d-guest cache", guestCount),
            String.format("%.1f ms (%.1f µs a guest)", booked / 1e6, booked / 1e3 / guestCount));
      }
    }
  }

  @SuppressWarnings("try") // the resources only need closing
  private static void scheduled(BenchReport report, int guestCount, int nodeCount) throws Exception {
    try (MockApi api = new MockApi(); FakeNodes nodes = publish(api, nodeCount)) {
      GuestOperator operator = start(api);
      Latencies latencies = new Latencies();
      try (SharedIndexInformer<VirtualGuest> watch = watchPhase(api, "Scheduled", latencies)) {
        burst(api, guests(guestCount, 2), latencies);
        check(latencies.awaitEnded(guestCount, Duration.ofMinutes(3)), latencies);
        report.figure("create → Scheduled, burst of " + guestCount + " guests over " + nodeCount + " nodes", latencies.summary());
      } finally {
        operator.stop();
      }
    }
  }

  @SuppressWarnings("try") // the resources only need closing
  private static void agentStarted(BenchReport report, int guestCount, int nodeCount) throws Exception {
    try (MockApi api = new MockApi(); FakeNodes nodes = publish(api, nodeCount)) {
      GuestOperator operator = start(api);
      Latencies latencies = new Latencies();
      try (FakeNodeAgent agent = new FakeNodeAgent(api.client).startGuestsAsTheyArrive((guest, at) -> latencies.end(guest.getMetadata().getName()))) {
        burst(api, guests(guestCount, 3), latencies);
        check(latencies.awaitEnded(guestCount, Duration.ofMinutes(3)), latencies);
        report.figure("create → Running (fake agent), burst of " + guestCount + " guests over " + nodeCount + " nodes", latencies.summary());
      } finally {
        operator.stop();
      }
    }
  }

  /** The operator in a JVM of its own ({@link OperatorProcess}), so that its memory is measured apart from the mock server's. */
  @SuppressWarnings("try") // the resources only need closing
  private static void throughOperator(BenchReport report, int guestCount, int nodeCount) throws Exception {
    PodJvm jvm = PodJvm.fromChart();
    try (MockApi api = new MockApi(); FakeNodes nodes = publish(api, nodeCount);
        OperatorProcess operator = OperatorProcess.start(jvm, api.client.getMasterUrl().toString(),
            List.of("--health-port", "-1", "--cpu-overcommit", "2.0", "--node-stale-after", "300"))) {
      double[] idle = operator.rssAndPeakMiB();
      double cpuAtStart = operator.cpuSeconds();
      Latencies latencies = new Latencies();
      try (SharedIndexInformer<VirtualGuest> watch = watchPhase(api, "Scheduled", latencies)) {
        api.drainRequests();
        burst(api, guests(guestCount, 1), latencies);
        check(latencies.awaitEnded(guestCount, Duration.ofMinutes(8)), latencies);
        double seconds = latencies.span().toMillis() / 1000.0;
        String what = String.format("%,d guests over %d nodes through the operator process", guestCount, nodeCount);
        report.figure(what, String.format("%s, %.1f guests/s; %s", latencies.summary(), guestCount / seconds, overcommit(api, nodeCount)));
        double writes = writesPerGuest(report, api.drainRequests(), guestCount);
        double[] loaded = operator.rssAndPeakMiB();
        report.figure("the operator process's VmRSS and CPU", String.format("%.0f MiB started (%d nodes), %.0f MiB with the %,d guests placed "
            + "(peak %.0f MiB); %.1f s of CPU for the %,d; %s", idle[0], nodeCount, loaded[0], guestCount, loaded[1],
            operator.cpuSeconds() - cpuAtStart, guestCount, jvm.describe()));
        report.goal(String.format("%,d guests over %d nodes ≤ 10 s end to end", guestCount, nodeCount), String.format("%.1f s", seconds),
            seconds <= 10);
        report.goal("≤ 3 API writes per guest", String.format("%.2f", writes), writes <= 3);
        report.goal("operator RSS ≤ 256 MiB (peak)", String.format("%.0f MiB", loaded[1]), loaded[1] <= 256);
      }
    }
  }

  /**
   * The burst's requests by kind, and the operator's writes per guest: guest status and metadata
   * writes and Event writes (the creates are the benchmark's; node heartbeats are the fake agents').
   */
  private static double writesPerGuest(BenchReport report, Map<String, Integer> requests, int guestCount) {
    int guestWrites = 0;
    int eventWrites = 0;
    for (var entry : requests.entrySet()) {
      String key = entry.getKey();
      boolean write = key.startsWith("PATCH ") || key.startsWith("PUT ") || key.startsWith("POST ");
      if (write && key.contains(" virtualguests") && !key.equals("POST virtualguests")) {
        guestWrites += entry.getValue();
      } else if (write && key.contains(" events")) {
        eventWrites += entry.getValue();
      }
    }
    System.out.printf("  API requests during the burst: %s%n", requests);
    double all = (guestWrites + eventWrites) / (double) guestCount;
    report.figure("the operator's API writes during those guests", String.format("%.2f a guest: %.2f guest (status + metadata), %.2f Event",
        all, guestWrites / (double) guestCount, eventWrites / (double) guestCount));
    return all;
  }

  private static FakeNodes publish(MockApi api, int count) {
    FakeNodes nodes = new FakeNodes(api.client, Duration.ofSeconds(10));
    for (int i = 0; i < count; i++) {
      nodes.publish("node-" + i, 64 * GI, 32, i % 2 == 0);
    }
    return nodes;
  }

  private static GuestOperator start(MockApi api) {
    // Heartbeats queue behind the burst on the single mock server: judge them leniently here.
    OperatorOptions options = OperatorOptions.defaults().withHealthPort(-1).withCpuOvercommit(2.0).withNodeStaleAfter(Duration.ofMinutes(5));
    GuestOperator operator = OperatorFactory.build(api.client, options, new SimpleMeterRegistry(), new Random(), Clock.systemUTC());
    operator.start();
    return operator;
  }

  /** Creates the guests from 8 threads at once, recording each one's start. */
  private static void burst(MockApi api, List<VirtualGuest> guests, Latencies latencies) throws InterruptedException {
    ExecutorService creators = Executors.newFixedThreadPool(8);
    for (VirtualGuest guest : guests) {
      VirtualGuest fresh = Guests.guest(NS, guest.getMetadata().getName(), guest.getSpec());
      creators.submit(() -> {
        latencies.start(fresh.getMetadata().getName());
        return api.client.resource(fresh).create();
      });
    }
    creators.shutdown();
    creators.awaitTermination(5, TimeUnit.MINUTES);
  }

  private static SharedIndexInformer<VirtualGuest> watchPhase(MockApi api, String phase, Latencies latencies) {
    return api.client.resources(VirtualGuest.class).inNamespace(NS).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(VirtualGuest guest) {
        seen(guest);
      }

      @Override
      public void onUpdate(VirtualGuest old, VirtualGuest guest) {
        seen(guest);
      }

      @Override
      public void onDelete(VirtualGuest guest, boolean unknown) {
      }

      private void seen(VirtualGuest guest) {
        if (guest.getStatus() != null && (phase.equals(guest.getStatus().phase()) || Conditions.find(guest.getStatus().conditions(), "Scheduled").isPresent())) {
          latencies.end(guest.getMetadata().getName());
        }
      }
    });
  }

  /** How the guests landed: a benchmark that overcommits nodes measured the wrong thing. */
  private static String overcommit(MockApi api, int nodeCount) {
    Map<String, long[]> used = new HashMap<>();
    int placed = 0;
    for (VirtualGuest guest : api.client.resources(VirtualGuest.class).inNamespace(NS).list().getItems()) {
      var node = Assignment.nodeOf(guest);
      if (node.isPresent()) {
        placed++;
        long[] sum = used.computeIfAbsent(node.get(), n -> new long[2]);
        sum[0] += Demands.of(guest).memoryBytes();
        sum[1] += guest.getSpec().cpus();
      }
    }
    long over = used.values().stream().filter(s -> s[0] > 64 * GI || s[1] > 64).count();
    return String.format("%d placed on %d of %d nodes, %d nodes over their allocatable memory or 2× CPUs", placed, used.size(), nodeCount, over);
  }

  private static void check(boolean done, Latencies latencies) {
    if (!done) {
      throw new IllegalStateException("timed out: only " + latencies.ended() + " guests got there");
    }
  }
}
