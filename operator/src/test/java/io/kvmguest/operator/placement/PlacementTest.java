package io.kvmguest.operator.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final long GI = 1024L * 1024 * 1024;

  private static NodeCapacity node(String name, long memGi, int cpus, boolean kvm, Map<String, String> labels) {
    return new NodeCapacity(name, labels, true, kvm, memGi * GI, cpus);
  }

  private static GuestDemand guest(long memGi, int cpus) {
    return new GuestDemand("g", memGi * GI, cpus, false, Map.of());
  }

  @Test
  void spreadPicksMostFreeMemoryAndPackPicksLeast() {
    List<NodeCapacity> nodes = List.of(node("a", 8, 8, false, Map.of()), node("b", 16, 8, false, Map.of()));
    assertEquals(Optional.of("b"), new Placement(PlacementPolicy.SPREAD, 1).place(guest(2, 1), nodes, Map.of()).node());
    assertEquals(Optional.of("a"), new Placement(PlacementPolicy.PACK, 1).place(guest(2, 1), nodes, Map.of()).node());
  }

  @Test
  void reservationsCountAgainstCapacity() {
    List<NodeCapacity> nodes = List.of(node("a", 8, 8, false, Map.of()), node("b", 8, 8, false, Map.of()));
    var reserved = Map.of("a", new Placement.Reserved(7 * GI, 1));
    assertEquals(Optional.of("b"), new Placement(PlacementPolicy.PACK, 1).place(guest(2, 1), nodes, reserved).node());
  }

  @Test
  void reasonsAreCountedPerKind() {
    List<NodeCapacity> nodes = List.of(
        node("a", 1, 8, true, Map.of()), node("b", 1, 8, true, Map.of()), node("c", 64, 8, false, Map.of()),
        new NodeCapacity("d", Map.of(), false, true, 64 * GI, 8), node("e", 64, 1, true, Map.of()));
    GuestDemand demand = new GuestDemand("g", 4 * GI, 2, true, Map.of());
    Placement.Decision decision = new Placement(PlacementPolicy.SPREAD, 1).place(demand, nodes, Map.of());
    assertEquals(Optional.empty(), decision.node());
    assertEquals("no node fits: 1 node has no ready agent, 1 node lacks CPUs, 1 node lacks KVM, 2 nodes lack memory", decision.reason());
  }

  @Test
  void nodeSelectorMustMatchEveryLabel() {
    List<NodeCapacity> nodes = List.of(node("a", 8, 8, false, Map.of("disk", "ssd")), node("b", 64, 8, false, Map.of("disk", "hdd")));
    GuestDemand demand = new GuestDemand("g", GI, 1, false, Map.of("disk", "ssd"));
    assertEquals(Optional.of("a"), new Placement(PlacementPolicy.SPREAD, 1).place(demand, nodes, Map.of()).node());
  }

  @Test
  void cpuOvercommitIsBounded() {
    List<NodeCapacity> nodes = List.of(node("a", 64, 2, false, Map.of()));
    var reserved = Map.of("a", new Placement.Reserved(0, 7));
    assertEquals(Optional.of("a"), new Placement(PlacementPolicy.SPREAD, 4).place(guest(1, 1), nodes, reserved).node());
    assertEquals(Optional.empty(), new Placement(PlacementPolicy.SPREAD, 4).place(guest(1, 2), nodes, reserved).node());
  }

  @Test
  void manyGuestsNeverExceedAnyNodesMemory() {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      nodes.add(node("n" + i, 4 + i, 64, false, Map.of()));
    }
    Placement placement = new Placement(PlacementPolicy.SPREAD, 1);
    Map<String, Placement.Reserved> reserved = new HashMap<>();
    int placed = 0;
    for (int g = 0; g < 200; g++) {
      GuestDemand demand = new GuestDemand("g" + g, (256 + 128L * (g % 5)) * 1024 * 1024, 1, false, Map.of());
      Optional<String> node = placement.place(demand, nodes, reserved).node();
      if (node.isPresent()) {
        reserved.merge(node.get(), Placement.Reserved.NONE.plus(demand), (a, b) -> new Placement.Reserved(a.memoryBytes() + b.memoryBytes(), a.cpus() + b.cpus()));
        placed++;
      }
    }
    for (NodeCapacity n : nodes) {
      assertTrue(reserved.get(n.name()).memoryBytes() <= n.allocatableMemoryBytes(), n.name() + " overcommitted");
    }
    assertTrue(placed > 150, "placed only " + placed);
  }
}
