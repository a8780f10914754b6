package io.kvmguest.operator.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's figures: each printed as it is measured, and all of them, with the goals met or
 * missed, as the markdown section {@code make bench} puts into docs/benchmarks.md.
 */
final class BenchReport {
  private record Row(String scenario, String result) {}

  private record Goal(String goal, String measured, boolean met) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<Goal> goals = new ArrayList<>();

  void figure(String scenario, String result) {
    System.out.println(scenario + ": " + result);
    rows.add(new Row(scenario, result));
  }

  void goal(String goal, String measured, boolean met) {
    System.out.println("goal " + goal + ": " + measured + (met ? " (met)" : " (MISSED)"));
    goals.add(new Goal(goal, measured, met));
  }

  /** {@code intro}, then a table of the figures and one of the goals. */
  String markdown(String intro) {
    StringBuilder md = new StringBuilder(intro.strip()).append("\n\n| scenario | result |\n|---|---|\n");
    rows.forEach(r -> md.append("| ").append(r.scenario()).append(" | ").append(r.result()).append(" |\n"));
    md.append("\n| goal | measured | |\n|---|---|---|\n");
    goals.forEach(g -> md.append("| ").append(g.goal()).append(" | ").append(g.measured()).append(" | ")
        .append(g.met() ? "met" : "**missed**").append(" |\n"));
    return md.toString();
  }
}
