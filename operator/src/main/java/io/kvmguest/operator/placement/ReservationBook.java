package io.kvmguest.operator.placement;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Serializes placement so concurrent reconciles never overcommit a node. Reservations are those
 * of every guest the cache shows placed, plus "holds" for placements decided here that the cache
 * does not show yet (the status write is in flight or its watch event has not arrived). A hold is
 * dropped once the cache shows the guest on that node, or the guest is gone, and never earlier:
 * the write may have landed even when the reconcile that made it failed. The cache is read under
 * this lock, so each placement sees a cache at least as new as the one before it (a list taken
 * earlier could miss a guest placed meanwhile, or show it unplaced after its hold was dropped).
 * A placement decided here stands: {@link #place} returns it again to a reconcile that read the
 * guest before it.
 */
public final class ReservationBook {
  private final Placement placement;
  private final Map<String, Hold> holds = new HashMap<>();
  /** Parsed demands by uid: parsing every placed guest's memory quantity on every placement is the hot spot. */
  private final Map<String, ParsedDemand> demands = new HashMap<>();

  private record Hold(String node, GuestDemand demand) {}

  private record ParsedDemand(Long generation, GuestDemand demand) {}

  public ReservationBook(Placement placement) {
    this.placement = placement;
  }

  /**
   * Chooses a node for {@code guest} given every guest in the cache (read here, under the lock)
   * and holds it there until the cache catches up.
   */
  public synchronized Placement.Decision place(VirtualGuest guest, List<NodeCapacity> nodes, Supplier<Collection<VirtualGuest>> cache) {
    String uid = guest.getMetadata().getUid();
    Collection<VirtualGuest> guests = cache.get();
    // A reconcile may read the guest before its own earlier placement reached it: that placement stands.
    Optional<String> cached = guests.stream().filter(g -> uid.equals(g.getMetadata().getUid())).findFirst().flatMap(Assignment::nodeOf);
    Optional<String> standing = cached.or(() -> Optional.ofNullable(holds.get(uid)).map(Hold::node));
    if (standing.isPresent()) {
      return new Placement.Decision(standing, "placed on " + standing.get() + " (decided before)");
    }
    GuestDemand demand = Demands.of(guest);
    Placement.Decision decision = placement.place(demand, nodes, reservations(uid, guests));
    decision.node().ifPresent(node -> holds.put(uid, new Hold(node, demand)));
    return decision;
  }

  /** Forgets a hold: the guest is deleted. */
  public synchronized void release(String uid) {
    holds.remove(uid);
  }

  /** Memory and vCPUs reserved per node by everyone but {@code exclude}. */
  public synchronized Map<String, Placement.Reserved> reservations(String exclude, Collection<VirtualGuest> guests) {
    Map<String, Placement.Reserved> reserved = new HashMap<>();
    Set<String> known = new HashSet<>();
    for (VirtualGuest guest : guests) {
      String uid = guest.getMetadata().getUid();
      known.add(uid);
      if (uid.equals(exclude)) {
        continue;
      }
      var node = Assignment.nodeOf(guest);
      Hold hold = holds.get(uid);
      if (hold != null && node.isPresent() && node.get().equals(hold.node())) {
        holds.remove(uid);
        hold = null;
      }
      if (hold != null) {
        reserved.merge(hold.node(), Placement.Reserved.NONE.plus(hold.demand()), ReservationBook::sum);
      } else if (node.isPresent()) {
        reserved.merge(node.get(), Placement.Reserved.NONE.plus(demandOf(guest)), ReservationBook::sum);
      }
    }
    // A guest missing from the list is deleted: place() reads the list under this lock, and a
    // guest is in the cache before its reconcile can place it.
    holds.keySet().removeIf(uid -> !known.contains(uid) && !uid.equals(exclude));
    demands.keySet().removeIf(uid -> !known.contains(uid));
    return reserved;
  }

  private GuestDemand demandOf(VirtualGuest guest) {
    Long generation = guest.getMetadata().getGeneration();
    ParsedDemand parsed = demands.get(guest.getMetadata().getUid());
    if (parsed == null || generation == null || !generation.equals(parsed.generation())) {
      parsed = new ParsedDemand(generation, Demands.of(guest));
      demands.put(guest.getMetadata().getUid(), parsed);
    }
    return parsed.demand();
  }

  private static Placement.Reserved sum(Placement.Reserved a, Placement.Reserved b) {
    return new Placement.Reserved(a.memoryBytes() + b.memoryBytes(), a.cpus() + b.cpus());
  }
}
