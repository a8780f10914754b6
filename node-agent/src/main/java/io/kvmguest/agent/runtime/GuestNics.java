package io.kvmguest.agent.runtime;

import io.kvmguest.agent.net.TapNames;
import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Per-NIC facts derived from the guest alone: MAC, bridge and tap. Pure. */
public final class GuestNics {
  private GuestNics() {}

  /**
   * The MAC of each NIC: the spec's, else the operator's (status.macAddresses), else one derived
   * from the guest's uid so that a guest run from files keeps its MAC across restarts.
   */
  public static Map<String, String> macs(VirtualGuest guest, String uid) {
    Map<String, String> assigned = guest.getStatus() == null ? Map.of() : guest.getStatus().macAddresses();
    Map<String, String> macs = new LinkedHashMap<>();
    for (NetworkInterface nic : guest.getSpec().interfaces()) {
      String mac = Optional.ofNullable(nic.macAddress())
          .or(() -> Optional.ofNullable(assigned.get(nic.name())))
          .orElseGet(() -> MacAddresses.derived(uid + "/" + nic.name()));
      macs.put(nic.name(), MacAddresses.normalize(mac));
    }
    return macs;
  }

  /** The bridge a NIC is on, or empty for user-mode networking. */
  public static Optional<String> bridgeOf(NetworkInterface nic, String defaultBridge) {
    if (nic.network() != null && nic.network().user() != null) {
      return Optional.empty();
    }
    if (nic.network() != null && nic.network().bridge() != null && nic.network().bridge().name() != null) {
      return Optional.of(nic.network().bridge().name());
    }
    return Optional.of(defaultBridge);
  }

  /** Bridge NIC name → tap name. */
  public static Map<String, String> taps(VirtualGuest guest, String uid, String defaultBridge) {
    Map<String, String> taps = new LinkedHashMap<>();
    for (NetworkInterface nic : guest.getSpec().interfaces()) {
      if (bridgeOf(nic, defaultBridge).isPresent()) {
        taps.put(nic.name(), TapNames.forNic(uid, nic.name()));
      }
    }
    return taps;
  }
}
