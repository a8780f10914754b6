package io.kvmguest.operator.mac;

import io.kvmguest.api.v1alpha1.MacAddresses;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Hands out MAC addresses unique in the cluster. Holds every MAC in use (given in specs or
 * generated earlier) with its owner, so two guests reconciled at the same instant cannot get one
 * address: {@link #claim} and {@link #generate} are atomic with respect to each other.
 *
 * <p>Generated addresses follow the seed's macgen: the configured 3-octet prefix (00:16:3e by
 * default) and three random octets, the first at most 0x7f.
 */
public final class MacAllocator {
  private final String prefix;
  private final RandomGenerator random;
  private final Map<String, String> owners = new HashMap<>();

  public MacAllocator(String prefix, RandomGenerator random) {
    this.prefix = checkPrefix(prefix);
    this.random = random;
  }

  /** A 3-octet prefix such that every address under it is a valid unicast guest MAC. */
  static String checkPrefix(String prefix) {
    String normalized = prefix.toLowerCase(Locale.ROOT);
    Optional<String> problem = MacAddresses.problem(normalized + ":00:00:01");
    if (!normalized.matches("([0-9a-f]{2}:){2}[0-9a-f]{2}") || problem.isPresent()) {
      throw new IllegalArgumentException("MAC prefix \"" + prefix + "\" must be three hex octets of a unicast address, such as 00:16:3e");
    }
    return normalized;
  }

  /**
   * Records that {@code owner} uses {@code mac}. Returns the other owner when the MAC is taken
   * by someone else (and then records nothing).
   */
  public synchronized Optional<String> claim(String mac, String owner) {
    String key = MacAddresses.normalize(mac);
    String current = owners.putIfAbsent(key, owner);
    return current == null || current.equals(owner) ? Optional.empty() : Optional.of(current);
  }

  /** A new MAC, recorded for {@code owner} before it is returned. */
  public synchronized String generate(String owner) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      String mac = String.format("%s:%02x:%02x:%02x", prefix, random.nextInt(0x80), random.nextInt(0x100), random.nextInt(0x100));
      if (owners.putIfAbsent(mac, owner) == null) {
        return mac;
      }
    }
    throw new IllegalStateException("no free MAC address under prefix " + prefix + " after 1000 tries");
  }

  /** Frees every MAC of {@code owner} (the guest is deleted). */
  public synchronized void releaseAll(String owner) {
    owners.values().removeIf(owner::equals);
  }

  /** Frees one MAC if {@code owner} holds it (a NIC was removed or changed its address). */
  public synchronized void release(String mac, String owner) {
    owners.remove(MacAddresses.normalize(mac), owner);
  }

  /** Every MAC {@code owner} holds. */
  public synchronized Set<String> macsOf(String owner) {
    Set<String> macs = new HashSet<>();
    owners.forEach((mac, holder) -> {
      if (holder.equals(owner)) {
        macs.add(mac);
      }
    });
    return macs;
  }

  public synchronized Optional<String> ownerOf(String mac) {
    return Optional.ofNullable(owners.get(MacAddresses.normalize(mac)));
  }

  public synchronized int size() {
    return owners.size();
  }
}
