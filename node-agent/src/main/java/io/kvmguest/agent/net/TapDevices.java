package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandFailedException;
import java.util.List;
import java.util.Optional;

/**
 * One persistent tap per guest NIC: created before qemu starts (qemu opens it by name with
 * {@code script=no}), attached to the bridge and up; deleted when the guest goes.
 */
public final class TapDevices {
  private final HostNetwork net;

  public TapDevices(HostNetwork net) {
    this.net = net;
  }

  /** Creates the tap if needed, attaches it to {@code bridge} if that is a bridge, brings it up. */
  public TapStatus plug(String tap, String bridge) {
    LinkNames.require("tap", tap);
    return plugNew(tap, bridge).orElseGet(() -> plugLooking(tap, bridge));
  }

  /**
   * The common case, a new guest NIC on a bridge that is there, in two ip calls and no lookups (a
   * burst of guests pays for every process spawned). Empty when a step fails: the tap or another
   * link of that name exists, or the bridge is missing; then {@link #plugLooking} finds out which.
   */
  private Optional<TapStatus> plugNew(String tap, String bridge) {
    try {
      net.createTap(tap);
    } catch (CommandFailedException exists) {
      return Optional.empty();
    }
    try {
      net.setMasterAndUp(tap, bridge);
    } catch (CommandFailedException noBridge) {
      return Optional.empty();
    }
    return Optional.of(attached(tap, bridge));
  }

  private TapStatus plugLooking(String tap, String bridge) {
    var existing = net.link(tap);
    if (existing.isPresent() && !existing.get().tap()) {
      throw new IllegalStateException("link " + tap + " exists and is not a tap (kind '" + existing.get().kind()
          + "'); refusing to reuse it for a guest NIC");
    }
    if (existing.isEmpty()) {
      net.createTap(tap);
    }
    var br = net.link(bridge);
    TapStatus status;
    if (br.isEmpty()) {
      status = new TapStatus(tap, bridge, false, BridgeStatus.BRIDGE_MISSING, "bridge " + bridge
          + " does not exist; tap " + tap + " is not attached and the guest NIC has no network");
    } else if (!br.get().isBridge()) {
      status = new TapStatus(tap, bridge, false, BridgeStatus.NOT_A_BRIDGE, bridge + " is not a bridge; tap " + tap
          + " is not attached and the guest NIC has no network");
    } else {
      boolean attached = existing.flatMap(Link::master).filter(bridge::equals).isPresent();
      boolean up = existing.map(Link::up).orElse(false);
      if (!attached && !up) {
        net.setMasterAndUp(tap, bridge);
      } else if (!attached) {
        net.setMaster(tap, bridge);
      } else if (!up) {
        net.setUp(tap, true);
      }
      return attached(tap, bridge);
    }
    if (!existing.map(Link::up).orElse(false)) {
      net.setUp(tap, true);
    }
    return status;
  }

  private static TapStatus attached(String tap, String bridge) {
    return new TapStatus(tap, bridge, true, TapStatus.ATTACHED, "tap " + tap + " on bridge " + bridge);
  }

  /** Deletes the tap if it exists. */
  public void unplug(String tap) {
    if (net.link(LinkNames.require("tap", tap)).filter(Link::tap).isPresent()) {
      net.deleteLink(tap);
    }
  }

  /** Taps with our naming scheme, for finding orphans after a restart. */
  public List<String> ourTaps() {
    return net.links().stream().filter(Link::tap).map(Link::name).filter(TapNames::isTapName).toList();
  }
}
