package io.kvmguest.operator.reconcile;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.placement.NodeCapacity;
import io.kvmguest.operator.placement.Placement;
import io.kvmguest.operator.placement.ReservationBook;
import java.util.List;

/** Chooses a node for an unplaced guest among the nodes agents publish, net of reservations. */
public final class PlaceStep {
  private final ReservationBook book;
  private final Pacing pacing;

  public PlaceStep(ReservationBook book, Pacing pacing) {
    this.book = book;
    this.pacing = pacing;
  }

  public Placement.Decision choose(VirtualGuest guest, ClusterView cluster) {
    var now = pacing.clock().instant();
    List<NodeCapacity> nodes = cluster.nodes().stream().map(n -> n.capacity(now, pacing.staleAfter())).toList();
    return book.place(guest, nodes, cluster::guests);
  }

  /** The guest is gone. */
  public void forget(String uid) {
    book.release(uid);
  }
}
