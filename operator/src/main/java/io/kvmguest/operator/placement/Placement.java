package io.kvmguest.operator.placement;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Chooses a node for a guest, given every node and what the guests already placed on each use.
 * Pure: the caller supplies the current reservations.
 */
public final class Placement {
  private final PlacementPolicy policy;
  private final double cpuOvercommit;

  /** {@code cpuOvercommit} 1.0 means one vCPU per host CPU; 4.0 allows four. Memory is never overcommitted. */
  public Placement(PlacementPolicy policy, double cpuOvercommit) {
    this.policy = policy;
    this.cpuOvercommit = cpuOvercommit;
  }

  /** Memory and vCPUs already reserved on a node. */
  public record Reserved(long memoryBytes, int cpus) {
    public static final Reserved NONE = new Reserved(0, 0);

    public Reserved plus(GuestDemand demand) {
      return new Reserved(memoryBytes + demand.memoryBytes(), cpus + demand.cpus());
    }
  }

  /** The chosen node, or why none fits. */
  public record Decision(Optional<String> node, String reason) {}

  public Decision place(GuestDemand demand, List<NodeCapacity> nodes, Map<String, Reserved> reserved) {
    Map<String, Integer> rejections = new TreeMap<>();
    NodeCapacity best = null;
    long bestFree = 0;
    for (NodeCapacity node : nodes.stream().sorted(Comparator.comparing(NodeCapacity::name)).toList()) {
      Reserved used = reserved.getOrDefault(node.name(), Reserved.NONE);
      Optional<String> misfit = misfit(demand, node, used);
      if (misfit.isPresent()) {
        rejections.merge(misfit.get(), 1, Integer::sum);
        continue;
      }
      long free = node.allocatableMemoryBytes() - used.memoryBytes() - demand.memoryBytes();
      boolean better = best == null || (policy == PlacementPolicy.SPREAD ? free > bestFree : free < bestFree);
      if (better) {
        best = node;
        bestFree = free;
      }
    }
    if (best != null) {
      return new Decision(Optional.of(best.name()), "placed on " + best.name() + " (" + policy.name().toLowerCase() + ")");
    }
    return new Decision(Optional.empty(), nodes.isEmpty() ? "no node runs a ready kvmguest agent" : summarize(rejections));
  }

  private Optional<String> misfit(GuestDemand demand, NodeCapacity node, Reserved used) {
    if (!node.agentReady()) {
      return Optional.of("have no ready agent");
    }
    if (demand.needsKvm() && !node.kvm()) {
      return Optional.of("lack KVM");
    }
    for (Map.Entry<String, String> wanted : demand.nodeSelector().entrySet()) {
      if (!wanted.getValue().equals(node.labels().get(wanted.getKey()))) {
        return Optional.of("do not match nodeSelector");
      }
    }
    if (used.memoryBytes() + demand.memoryBytes() > node.allocatableMemoryBytes()) {
      return Optional.of("lack memory");
    }
    if (used.cpus() + demand.cpus() > Math.floor(node.allocatableCpus() * cpuOvercommit)) {
      return Optional.of("lack CPUs");
    }
    return Optional.empty();
  }

  /** "2 nodes lack memory, 1 lacks KVM" */
  private static String summarize(Map<String, Integer> rejections) {
    StringBuilder out = new StringBuilder("no node fits: ");
    rejections.forEach((why, count) -> {
      if (out.length() > "no node fits: ".length()) {
        out.append(", ");
      }
      out.append(count).append(count == 1 ? " node " : " nodes ").append(count == 1 ? singular(why) : why);
    });
    return out.toString();
  }

  private static String singular(String plural) {
    return plural.replaceFirst("^lack ", "lacks ").replaceFirst("^do not ", "does not ").replaceFirst("^have ", "has ");
  }
}
