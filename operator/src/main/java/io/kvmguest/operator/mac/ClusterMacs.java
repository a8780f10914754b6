package io.kvmguest.operator.mac;

import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The cluster's MACs, held per guest uid in a {@link MacAllocator}. Before the first reconcile
 * generates anything, {@link #seedOnce} claims every MAC the cluster already uses (statuses first,
 * then specs, oldest guest first), so MACs survive operator restarts and a new one never repeats
 * an old one.
 */
public final class ClusterMacs {
  private final MacAllocator allocator;
  private boolean seeded;

  /** A spec MAC another guest holds already. */
  public record Clash(int interfaceIndex, String mac, String holderUid) {}

  /** The MAC per interface name, and the interfaces whose earlier MAC had to be replaced. */
  public record Assigned(Map<String, String> macAddresses, List<String> replaced) {}

  public ClusterMacs(MacAllocator allocator) {
    this.allocator = allocator;
  }

  /** Claims every MAC in use, once; later calls do nothing (and do not ask for the guests). */
  public synchronized void seedOnce(Supplier<Collection<VirtualGuest>> guests) {
    if (seeded) {
      return;
    }
    List<VirtualGuest> oldestFirst = guests.get().stream().sorted(Comparator
        .comparing((VirtualGuest g) -> String.valueOf(g.getMetadata().getCreationTimestamp()))
        .thenComparing(g -> g.getMetadata().getNamespace() + "/" + g.getMetadata().getName())).toList();
    for (VirtualGuest guest : oldestFirst) {
      statusMacs(guest).values().forEach(mac -> allocator.claim(mac, uid(guest)));
    }
    for (VirtualGuest guest : oldestFirst) {
      specMacs(guest).forEach(mac -> allocator.claim(mac, uid(guest)));
    }
    seeded = true;
  }

  /** Claims the guest's spec MACs; returns those held by another guest. Frees MACs it no longer names. */
  public synchronized List<Clash> claimSpecMacs(VirtualGuest guest) {
    requireSeeded();
    List<Clash> clashes = new ArrayList<>();
    List<NetworkInterface> nics = guest.getSpec().interfaces();
    for (int i = 0; i < nics.size(); i++) {
      String mac = nics.get(i).macAddress();
      if (mac != null) {
        int index = i;
        allocator.claim(mac, uid(guest)).ifPresent(other -> clashes.add(new Clash(index, mac, other)));
      }
    }
    Set<String> named = new HashSet<>(specMacs(guest));
    named.addAll(statusMacs(guest).values());
    keepOnly(guest, named);
    return clashes;
  }

  /**
   * The MAC of every NIC: the spec's, else the one in status (never changed), else a new one.
   * Status entries of NICs no longer in the spec are kept, so a NIC added back gets its MAC back.
   */
  public synchronized Assigned assign(VirtualGuest guest) {
    requireSeeded();
    String owner = uid(guest);
    Map<String, String> previous = statusMacs(guest);
    Map<String, String> result = new LinkedHashMap<>(previous);
    List<String> replaced = new ArrayList<>();
    for (NetworkInterface nic : guest.getSpec().interfaces()) {
      String earlier = previous.get(nic.name());
      if (nic.macAddress() != null) {
        result.put(nic.name(), MacAddresses.normalize(nic.macAddress()));
      } else if (earlier != null && allocator.claim(earlier, owner).isEmpty()) {
        result.put(nic.name(), MacAddresses.normalize(earlier));
      } else {
        if (earlier != null) {
          replaced.add(nic.name());
        }
        result.put(nic.name(), allocator.generate(owner));
      }
    }
    keepOnly(guest, new HashSet<>(result.values()));
    return new Assigned(Map.copyOf(result), List.copyOf(replaced));
  }

  /** Frees every MAC of a deleted guest. */
  public synchronized void releaseAll(String uid) {
    allocator.releaseAll(uid);
  }

  private void keepOnly(VirtualGuest guest, Set<String> macs) {
    Set<String> normalized = new HashSet<>();
    macs.forEach(mac -> normalized.add(MacAddresses.normalize(mac)));
    for (String held : allocator.macsOf(uid(guest))) {
      if (!normalized.contains(held)) {
        allocator.release(held, uid(guest));
      }
    }
  }

  private void requireSeeded() {
    if (!seeded) {
      throw new IllegalStateException("MACs must be seeded from the cluster before any is claimed or generated");
    }
  }

  private static List<String> specMacs(VirtualGuest guest) {
    if (guest.getSpec() == null) {
      return List.of();
    }
    return guest.getSpec().interfaces().stream().map(NetworkInterface::macAddress)
        .filter(mac -> mac != null && MacAddresses.problem(mac).isEmpty()).toList();
  }

  private static Map<String, String> statusMacs(VirtualGuest guest) {
    return guest.getStatus() == null ? Map.of() : guest.getStatus().macAddresses();
  }

  private static String uid(VirtualGuest guest) {
    return guest.getMetadata().getUid();
  }
}
