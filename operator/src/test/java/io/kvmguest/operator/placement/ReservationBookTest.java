package io.kvmguest.operator.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.testing.Guests;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReservationBookTest {
  private static final long GI = 1024L * 1024 * 1024;
  private static final List<NodeCapacity> ONE_NODE = List.of(new NodeCapacity("n", Map.of(), true, false, 2 * GI, 8));

  private static VirtualGuest guest(String name) {
    VirtualGuest guest = Guests.guest("ns", name, "512Mi", 1);
    guest.getMetadata().setUid("uid-" + name);
    return guest;
  }

  @Test
  void placementsNotYetInTheCacheStillCount() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    List<VirtualGuest> cache = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      cache.add(guest(name));
    }
    // 2Gi holds three 512Mi guests with qemu's 64Mi each; the cache never shows any label.
    assertEquals(Optional.of("n"), book.place(cache.get(0), ONE_NODE, () -> cache).node());
    assertEquals(Optional.of("n"), book.place(cache.get(1), ONE_NODE, () -> cache).node());
    assertEquals(Optional.of("n"), book.place(cache.get(2), ONE_NODE, () -> cache).node());
    assertEquals(Optional.empty(), book.place(cache.get(3), ONE_NODE, () -> cache).node());
  }

  @Test
  void aHoldGivesWayToTheCachedPlacementAndDisappearsWithTheGuest() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest a = guest("a");
    book.place(a, ONE_NODE, () -> List.of(a));
    VirtualGuest placedA = guest("a");
    placedA.setStatus(new VirtualGuestStatus(null, "n", null, null, null, null, null, null));
    assertEquals(576L * 1024 * 1024, book.reservations("other", List.of(placedA)).get("n").memoryBytes(), "counted once");
    book.place(guest("b"), ONE_NODE, () -> List.of(placedA));
    book.release("uid-b");
    book.place(guest("c"), ONE_NODE, () -> List.of(placedA));
    assertEquals(Map.of("n", new Placement.Reserved(576L * 1024 * 1024, 1)), book.reservations("other", List.of(placedA)),
        "deleted guests reserve nothing (b released, c gone from the cache)");
  }

  @Test
  void theCacheIsReadUnderTheLockSoNoPlacementSeesAnOlderOneThanTheLast() {
    // A list taken before the lock could miss a guest another reconcile placed meanwhile (its hold
    // would be dropped as "deleted"), or show a guest unplaced after its hold gave way to the cache.
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest a = guest("a");
    book.place(a, ONE_NODE, () -> {
      assertTrue(Thread.holdsLock(book), "the cache is read under the book's lock");
      return List.of(a);
    });
  }

  @Test
  void aNodeLabelWithoutTheOperatorsStatusReservesNothing() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest spoofed = guest("s");
    spoofed.getMetadata().setLabels(Map.of(ClusterContract.NODE_LABEL, "n"));
    assertEquals(Map.of(), book.reservations("other", List.of(spoofed)), "a label is not a placement");
    assertEquals(java.util.Optional.empty(), Assignment.nodeOf(spoofed));
  }

  @Test
  void aPlacementStandsForAReconcileThatReadTheGuestBeforeIt() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest a = guest("a");
    assertEquals(Optional.of("n"), book.place(a, ONE_NODE, () -> List.of(a)).node());
    // The node stopped reporting meanwhile (not ready): a fresh choice would find none, and would
    // drop a's hold while its status.nodeName may already be written.
    List<NodeCapacity> notReady = List.of(new NodeCapacity("n", Map.of(), false, false, 2 * GI, 8));
    assertEquals(Optional.of("n"), book.place(a, notReady, () -> List.of(a)).node(), "the hold stands");
    assertEquals(576L * 1024 * 1024, book.reservations("other", List.of(a)).get("n").memoryBytes(), "a still counts");
  }

  @Test
  void theCachedPlacementStandsWhenTheReconciledCopyIsOlder() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest stale = guest("a");
    VirtualGuest cached = guest("a");
    cached.setStatus(new VirtualGuestStatus(null, "elsewhere", null, null, null, null, null, null));
    assertEquals(Optional.of("elsewhere"), book.place(stale, ONE_NODE, () -> List.of(cached)).node());
    assertEquals(Map.of("elsewhere", new Placement.Reserved(576L * 1024 * 1024, 1)), book.reservations("other", List.of(cached)),
        "no second reservation on n");
  }
}
