package io.kvmguest.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.testing.Guests;
import org.junit.jupiter.api.Test;

class ClusterViewPhaseTest {
  @Test
  void aGuestWithNoStatusOrNoPhaseCountsAsPendingOthersAsTheirPhase() {
    VirtualGuest guest = Guests.guest("ns", "g", "256Mi", 1);
    assertEquals("Pending", ClusterView.phaseOf(guest));
    guest.setStatus(VirtualGuestStatus.empty());
    assertEquals("Pending", ClusterView.phaseOf(guest));
    guest.setStatus(VirtualGuestStatus.empty().withPhase("Running"));
    assertEquals("Running", ClusterView.phaseOf(guest));
  }

  @Test
  void beforeTheControllerStartsEveryPhaseCountsZero() {
    assertEquals(0, new ClusterView(null, null).guestsInPhase("Pending"));
  }
}
