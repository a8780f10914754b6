package io.kvmguest.agent.runtime;

import io.kvmguest.agent.runtime.Iperf3.Direction;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.GuestManifests;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TCP throughput between the host and a guest, per NIC model, through the product and booted by
 * hand, in one run. Per model, {@link #ROUNDS} times, one guest through the node agent (in this
 * JVM, its bridge in a network namespace) and the same guest booted by {@link HandRunHost} run side
 * by side, each pair booted fresh; the host's iperf3 client in each namespace measures both
 * directions against the guest's iperf3 server, product and hand-run alternating; the median counts.
 *
 * <p>Writes its section as markdown to the file given as argument 1 (make bench splices it into
 * docs/benchmarks.md). Needs root, qemu, iperf3 and the test guest image (KVMGUEST_IMAGE_DIR).
 */
public final class NicThroughputBenchmark {
  /** In the order the hand-run notes found them, slowest first. */
  static final List<String> MODELS = List.of("rtl8139", "e1000", "virtio");
  private static final int ROUNDS = 3;
  private static final int SECONDS = 5;
  private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
  private static final Pattern LEASED = Pattern.compile("KVMGUEST-READY .*ip=([0-9.]+)");

  private NicThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench/nic-throughput.md");
    GuestImages.iso(); // fails early without the image
    long t0 = System.nanoTime();
    String loadBefore = AgentBenchmarks.loadAverage();
    List<NicThroughput> results = new ArrayList<>();
    Path root = Files.createTempDirectory("kvg-nic-bench");
    try (NetnsFixture node = NetnsFixture.create("nicbench")) {
      AgentHarness h = new AgentHarness(root.resolve("agent"), node);
      NodeAgent agent = h.startAgent("nic-node", "--stop-grace", "10");
      try {
        for (int i = 0; i < MODELS.size(); i++) {
          results.addAll(measure(h, agent, root.resolve("hand-" + MODELS.get(i)), MODELS.get(i), i));
        }
      } finally {
        agent.close(false);
      }
    } finally {
      AgentBenchmarks.deleteTree(root);
    }
    String section = intro() + NicThroughput.section(results, ROUNDS, SECONDS)
        + String.format("%nWhole run: %.1f min. Load average (1/5/15 min) before: %s; after: %s.%n", (System.nanoTime() - t0) / 60e9,
            loadBefore, AgentBenchmarks.loadAverage());
    System.out.println(section);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, section);
    System.out.println("written to " + out.toAbsolutePath());
    System.exit(0); // the agent's non-daemon helper threads must not keep the JVM
  }

  private static String intro() {
    return """
        ## NIC throughput: host ↔ guest per NIC model, through the product and by hand

        Per NIC model, one guest goes through the node agent (running in the benchmark's JVM, its NAT bridge with
        dnsmasq in a network namespace) and the same guest is booted by hand (`HandRunHost`, as in the start burst:
        `-net nic,model=…,macaddr=… -net tap` on a bridge of its own namespace) at the same time. Both are the tiny
        test guest (256Mi, one vCPU, qemu under TCG, userspace virtio: this machine has no usable KVM and no
        vhost-net), which starts an iperf3 server at boot. The host's iperf3 client, in each guest's namespace,
        measures TCP throughput host → guest and guest → host (reverse mode: the guest sends), product and hand-run
        alternating, three rounds with a freshly booted pair each (under TCG a guest's figure is steady over its
        life but moves a lot from one boot to the next: two boots of the same e1000 guest by hand measured 629
        and 894 Mbit/s host → guest); the median counts. Goal: the product moves at least 0.95 × what the hand-run
        host moves, per model and direction. Under TCG the guest's CPU is the bottleneck, so the absolute figures
        are far below a KVM host's; the ratios and the models' order are what this shows.

        Why the product's virtio is several times the hand-run one: the classic `-net nic -net tap` pair joins
        the NIC and the tap through a qemu hub, and a NIC behind a hub does not see that its peer takes virtio-net
        headers, so the guest gets no checksum or segmentation offload and cuts every segment in its emulated
        CPU. The agent gives each NIC its own `-netdev tap` and `-device …,netdev=`, as libvirt does. (By hand,
        with `-netdev tap,…` and `-device virtio-net-pci,netdev=…` instead of the `-net` pair, the same guest
        moved 1,885 Mbit/s host → guest against 593 through the hub, on the machine below on 2026-12-01.)

        Command: `KVMGUEST_IMAGE_DIR=… make bench` (as root), whose step for this one is
        `cd node-agent && java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt)
        io.kvmguest.agent.runtime.NicThroughputBenchmark ../target/bench/nic-throughput.md`.

        """;
  }

  /**
   * One model, {@link #ROUNDS} times: a fresh pair of guests (one through the agent, one by hand)
   * booted at once, each direction measured on both, which goes first alternating. Under TCG a
   * guest's figure holds steady over its life but moves a lot from one boot to the next, so every
   * round is a new pair: the median is over boots, not over one lucky or unlucky guest.
   */
  private static List<NicThroughput> measure(AgentHarness h, NodeAgent agent, Path handDir, String model, int index) throws IOException {
    Map<Direction, List<Double>> product = new EnumMap<>(Direction.class);
    Map<Direction, List<Double>> handRun = new EnumMap<>(Direction.class);
    for (Direction d : Direction.values()) {
      product.put(d, new ArrayList<>());
      handRun.put(d, new ArrayList<>());
    }
    for (int round = 0; round < ROUNDS; round++) {
      String name = "nic-" + model + "-" + round;
      try (HandRunHost hand = HandRunHost.create(handDir.resolve("round-" + round))) {
        h.apply(name, GuestManifests.isoGuest(name, model));
        hand.boot(name, index, model, String.format("52:54:00:79:01:%02x", index + 1));
        String productIp = leasedIp(h.serialLog(name));
        String handIp = leasedIp(hand.serial(name));
        for (Direction direction : Direction.values()) {
          boolean productFirst = (round + direction.ordinal()) % 2 == 0;
          if (productFirst) {
            product.get(direction).add(Iperf3.mbps(h.node, productIp, SECONDS, direction));
          }
          handRun.get(direction).add(Iperf3.mbps(hand.namespace(), handIp, SECONDS, direction));
          if (!productFirst) {
            product.get(direction).add(Iperf3.mbps(h.node, productIp, SECONDS, direction));
          }
        }
        h.delete(name);
        if (!AgentBenchmarks.awaitNoGuests(agent, STOP_TIMEOUT)) {
          throw new IllegalStateException("guests still running " + STOP_TIMEOUT.toSeconds() + " s after their delete: " + agent.guestViews());
        }
      }
    }
    List<NicThroughput> results = new ArrayList<>();
    for (Direction d : Direction.values()) {
      NicThroughput r = new NicThroughput(model, d, product.get(d), handRun.get(d));
      System.out.println(r.line());
      results.add(r);
    }
    return results;
  }

  /** The address the guest's DHCP client bound, from its serial console. */
  private static String leasedIp(Path serial) {
    long deadline = System.nanoTime() + BOOT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = LEASED.matcher(AgentBenchmarks.serial(serial));
      if (m.find()) {
        return m.group(1);
      }
      AgentHarness.sleep(100);
    }
    throw new IllegalStateException("no lease on " + serial + " within " + BOOT_TIMEOUT.toSeconds() + " s:\n" + AgentBenchmarks.serial(serial));
  }
}
