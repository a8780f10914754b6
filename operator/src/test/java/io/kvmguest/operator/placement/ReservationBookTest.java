package io.kvmguest.operator.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
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
    assertEquals(Optional.of("n"), book.place(cache.get(0), ONE_NODE, cache).node());
    assertEquals(Optional.of("n"), book.place(cache.get(1), ONE_NODE, cache).node());
    assertEquals(Optional.of("n"), book.place(cache.get(2), ONE_NODE, cache).node());
    assertEquals(Optional.empty(), book.place(cache.get(3), ONE_NODE, cache).node());
  }

  @Test
  void aHoldGivesWayToTheCachedPlacementAndDisappearsWithTheGuest() {
    ReservationBook book = new ReservationBook(new Placement(PlacementPolicy.SPREAD, 1));
    VirtualGuest a = guest("a");
    book.place(a, ONE_NODE, List.of(a));
    VirtualGuest placedA = guest("a");
    placedA.getMetadata().setLabels(Map.of(ClusterContract.NODE_LABEL, "n"));
    assertEquals(576L * 1024 * 1024, book.reservations("other", List.of(placedA)).get("n").memoryBytes(), "counted once");
    assertEquals(Map.of(), book.reservations("other", List.of()), "a deleted guest reserves nothing");
  }
}
