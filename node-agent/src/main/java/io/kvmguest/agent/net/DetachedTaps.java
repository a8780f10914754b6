package io.kvmguest.agent.net;

import java.util.List;
import java.util.Optional;

/**
 * Pure: the steps that put the agent's guest taps back on a bridge that had to be created again.
 * Deleting a bridge releases its ports, and nothing else plugs a running guest's tap again: the
 * agent plugs taps only when a guest starts. Only called right after the bridge was re-created,
 * so a detached tap of ours can only have been on that bridge.
 */
public final class DetachedTaps {
  private DetachedTaps() {}

  public static List<NetworkStep> reattach(List<Link> links, String bridge) {
    return links.stream()
        .filter(l -> l.tap() && TapNames.isTapName(l.name()) && l.master().isEmpty())
        .map(l -> (NetworkStep) new NetworkStep.SetMaster(l.name(), Optional.of(bridge)))
        .toList();
  }
}
