package io.kvmguest.agent.net;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host bridges guest taps may join: the agent's own bridge, plus those the node's admin named
 * with {@code --allowed-bridge}. Any other bridge on the host (cni0, docker0, a storage network) is
 * refused: a guest's owner could otherwise put their guest on a network the admin never opened to
 * guests, by naming it in the spec. Pure.
 */
public record AllowedBridges(String own, Set<String> others) {
  public AllowedBridges {
    others = Set.copyOf(others);
  }

  /** Only the agent's own bridge: the default. */
  public static AllowedBridges only(String own) {
    return new AllowedBridges(own, Set.of());
  }

  public static AllowedBridges of(String own, List<String> others) {
    return new AllowedBridges(own, new LinkedHashSet<>(others));
  }

  public boolean allows(String bridge) {
    return own.equals(bridge) || others.contains(bridge);
  }

  /** "br0, br-lab": the own bridge first, the others sorted, for messages. */
  public String names() {
    Set<String> names = new LinkedHashSet<>();
    names.add(own);
    others.stream().sorted().forEach(names::add);
    return String.join(", ", names);
  }
}
