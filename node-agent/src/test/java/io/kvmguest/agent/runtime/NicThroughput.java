package io.kvmguest.agent.runtime;

import io.kvmguest.agent.runtime.Iperf3.Direction;
import java.util.Comparator;
import java.util.List;

/** One model's throughput in one direction, through the product and hand-run: Mbit/s per round. */
record NicThroughput(String model, Direction direction, List<Double> productMbps, List<Double> handRunMbps) {
  /** The goal: the product moves at least this share of what the hand-run host moves. */
  static final double GOAL_RATIO = 0.95;

  double product() {
    return median(productMbps);
  }

  double handRun() {
    return median(handRunMbps);
  }

  double ratio() {
    return product() / handRun();
  }

  boolean met() {
    return ratio() >= GOAL_RATIO;
  }

  String line() {
    return String.format("%-8s %-13s product %s Mbit/s, hand-run %s Mbit/s, ratio %.2f", model, direction.label, rounds(productMbps),
        rounds(handRunMbps), ratio());
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /**
   * Whether the models, in {@code slowestFirst} order, are strictly faster one after another in
   * {@code direction}, by the figures {@code which} picks.
   */
  static boolean ordered(List<NicThroughput> results, Direction direction, List<String> slowestFirst,
      java.util.function.ToDoubleFunction<NicThroughput> which) {
    List<NicThroughput> in = results.stream().filter(r -> r.direction() == direction)
        .sorted(Comparator.comparingInt(r -> slowestFirst.indexOf(r.model()))).toList();
    for (int i = 1; i < in.size(); i++) {
      if (which.applyAsDouble(in.get(i)) <= which.applyAsDouble(in.get(i - 1))) {
        return false;
      }
    }
    return in.size() == slowestFirst.size();
  }

  /** The markdown section: figures per model and direction, the goal per row, the ordering found. */
  static String section(List<NicThroughput> results, int rounds, int seconds) {
    StringBuilder t = new StringBuilder();
    t.append("| model | direction | product Mbit/s (median; rounds) | hand-run Mbit/s (median; rounds) | product / hand-run ≥ ")
        .append(GOAL_RATIO).append(" |\n|---|---|---|---|---|\n");
    for (NicThroughput r : results) {
      t.append(String.format("| %s | %s | %.0f; %s | %.0f; %s | %.2f %s |%n", r.model(), r.direction().label, r.product(),
          rounds(r.productMbps()), r.handRun(), rounds(r.handRunMbps()), r.ratio(), r.met() ? "met" : "**missed**"));
    }
    t.append('\n');
    for (Direction d : Direction.values()) {
      boolean product = ordered(results, d, NicThroughputBenchmark.MODELS, NicThroughput::product);
      boolean hand = ordered(results, d, NicThroughputBenchmark.MODELS, NicThroughput::handRun);
      t.append(String.format("- %s, rtl8139 < e1000 < virtio: %s through the product, %s by hand.%n", d.label,
          product ? "holds" : "**does not hold**", hand ? "holds" : "**does not hold**"));
    }
    t.append(String.format("%nEach figure: iperf3 TCP, %d s after 1 s omitted; %d rounds, each on a freshly booted pair, product and hand-run alternating.%n", seconds,
        rounds));
    return t.toString();
  }

  private static String rounds(List<Double> mbps) {
    return String.join(" / ", mbps.stream().map(v -> String.format("%.0f", v)).toList());
  }
}
