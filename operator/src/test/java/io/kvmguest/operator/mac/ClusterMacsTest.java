package io.kvmguest.operator.mac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.testing.Guests;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClusterMacsTest {
  private static VirtualGuest guest(String name, String created, String... specMacs) {
    var nics = new io.kvmguest.api.v1alpha1.NetworkInterface[specMacs.length];
    for (int i = 0; i < specMacs.length; i++) {
      nics[i] = Guests.nic("eth" + i, "virtio", specMacs[i]);
    }
    VirtualGuest guest = Guests.guest("ns", name, "64Mi", 1, nics);
    guest.getMetadata().setUid("uid-" + name);
    guest.getMetadata().setCreationTimestamp(created);
    return guest;
  }

  private static VirtualGuest withStatusMacs(VirtualGuest guest, Map<String, String> macs) {
    guest.setStatus(new VirtualGuestStatus(null, null, null, null, null, macs, null, null));
    return guest;
  }

  @Test
  void nothingIsGeneratedBeforeTheClusterWasSeeded() {
    ClusterMacs macs = new ClusterMacs(new MacAllocator("00:16:3e", new Random(1)));
    assertThrows(IllegalStateException.class, () -> macs.assign(guest("a", "2026-01-01T00:00:00Z", (String) null)));
  }

  @Test
  void seedingKeepsStoredMacsSoTheSameRandomSequenceNeverRepeatsThem() {
    MacAllocator first = new MacAllocator("00:16:3e", new Random(7));
    String handedOut = first.generate("uid-old");
    ClusterMacs restarted = new ClusterMacs(new MacAllocator("00:16:3e", new Random(7)));
    restarted.seedOnce(() -> List.of(withStatusMacs(guest("old", "2026-01-01T00:00:00Z", (String) null), Map.of("eth0", handedOut))));
    String fresh = restarted.assign(guest("new", "2026-01-02T00:00:00Z", (String) null)).macAddresses().get("eth0");
    assertNotEquals(handedOut, fresh);
  }

  @Test
  void theOlderGuestKeepsAContestedSpecMacAndStatusMacsAreNeverChanged() {
    VirtualGuest older = guest("older", "2026-01-01T00:00:00Z", "00:16:3e:00:00:aa");
    VirtualGuest younger = guest("younger", "2026-01-02T00:00:00Z", "00:16:3e:00:00:AA");
    VirtualGuest placed = withStatusMacs(guest("placed", "2026-01-03T00:00:00Z", (String) null), Map.of("eth0", "00:16:3e:00:00:bb"));
    ClusterMacs macs = new ClusterMacs(new MacAllocator("00:16:3e", new Random(1)));
    macs.seedOnce(() -> List.of(younger, placed, older));
    assertEquals(List.of(), macs.claimSpecMacs(older));
    List<ClusterMacs.Clash> clashes = macs.claimSpecMacs(younger);
    assertEquals(List.of(new ClusterMacs.Clash(0, "00:16:3e:00:00:AA", "uid-older")), clashes);
    assertEquals(Map.of("eth0", "00:16:3e:00:00:bb"), macs.assign(placed).macAddresses());
  }

  @Test
  void aDeletedGuestsMacsAreFreedAndAChangedSpecMacReleasesTheOldOne() {
    ClusterMacs macs = new ClusterMacs(new MacAllocator("00:16:3e", new Random(1)));
    macs.seedOnce(List::of);
    VirtualGuest a = guest("a", "2026-01-01T00:00:00Z", "00:16:3e:00:00:01");
    assertTrue(macs.claimSpecMacs(a).isEmpty());
    VirtualGuest b = guest("b", "2026-01-02T00:00:00Z", "00:16:3e:00:00:01");
    assertEquals(1, macs.claimSpecMacs(b).size());
    macs.releaseAll("uid-a");
    assertTrue(macs.claimSpecMacs(b).isEmpty());
    VirtualGuest bChanged = guest("b", "2026-01-02T00:00:00Z", "00:16:3e:00:00:02");
    assertTrue(macs.claimSpecMacs(bChanged).isEmpty());
    assertTrue(macs.claimSpecMacs(guest("c", "2026-01-03T00:00:00Z", "00:16:3e:00:00:01")).isEmpty(), "b let go of :01");
  }
}
