package io.kvmguest.agent.net;

import java.util.List;

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
      return new TapStatus(tap, bridge, true, TapStatus.ATTACHED, "tap " + tap + " on bridge " + bridge);
    }
    if (!existing.map(Link::up).orElse(false)) {
      net.setUp(tap, true);
    }
    return status;
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
