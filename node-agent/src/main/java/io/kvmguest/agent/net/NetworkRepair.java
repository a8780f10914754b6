package io.kvmguest.agent.net;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one check of the node's network ({@link HostBridge#repair()}) found missing and put back.
 * {@code repaired} is empty when everything was in place; {@code failure} says what could not be
 * put back this time (the next check tries again). Healthy means neither.
 */
public record NetworkRepair(String bridge, List<Repaired> repaired, Optional<String> failure) {

  /** The kinds of things a repair puts back, for a caller that counts or words them itself. */
  public enum Part { BRIDGE, BRIDGE_ADDRESS, ROUTE, UPLINK, GUEST_TAP, DHCP_SERVER, FORWARDING, MASQUERADE }

  /** One thing put back, in the words of the step that did it. */
  public record Repaired(Part part, String what) {
    @Override
    public String toString() {
      return what;
    }
  }

  public NetworkRepair {
    repaired = List.copyOf(repaired);
  }

  /** Everything was in place, or there is nothing this mode looks after. */
  public static NetworkRepair none(String bridge) {
    return new NetworkRepair(bridge, List.of(), Optional.empty());
  }

  public static NetworkRepair failed(String bridge, List<Repaired> repaired, String failure) {
    return new NetworkRepair(bridge, repaired, Optional.of(failure));
  }

  public boolean healthy() {
    return repaired.isEmpty() && failure.isEmpty();
  }

  public boolean repairedAny(Part part) {
    return repaired.stream().anyMatch(r -> r.part() == part);
  }

  /** The part of each repair, in order. */
  public List<Part> parts() {
    return repaired.stream().map(Repaired::part).toList();
  }

  /** The repaired steps as {@link BridgeStatus#changes()} lists them. */
  public List<String> changes() {
    return repaired.stream().map(Repaired::what).toList();
  }

  /** Pure: which part of the network a step of {@link StateDiff} puts back. */
  public static Repaired of(NetworkStep step, String bridge) {
    return new Repaired(partOf(step, bridge), step.toString());
  }

  private static Part partOf(NetworkStep step, String bridge) {
    if (step instanceof NetworkStep.ReplaceRoute || step instanceof NetworkStep.DeleteRoute) {
      return Part.ROUTE;
    }
    if (!step.link().equals(bridge)) {
      return TapNames.isTapName(step.link()) ? Part.GUEST_TAP : Part.UPLINK;
    }
    boolean address = step instanceof NetworkStep.AddAddress || step instanceof NetworkStep.DeleteAddress;
    return address ? Part.BRIDGE_ADDRESS : Part.BRIDGE;
  }

  /** One line for a log or an Event message. */
  public String summary() {
    String done = repaired.isEmpty() ? "nothing repaired"
        : "repaired " + repaired.stream().map(Repaired::what).collect(Collectors.joining("; "));
    return "network " + bridge + ": " + done + failure.map(f -> "; not repaired: " + f).orElse("");
  }
}
