package io.kvmguest.agent.net;

import java.util.List;

/**
 * Existing mode: the admin made the bridge. Nothing is changed; a missing bridge is reported
 * instead of silently leaving guests without network (the seed's qemu-ifup warned and exited 0).
 */
public final class ExistingBridge implements HostBridge {
  private final HostNetwork net;
  private final String bridge;

  public ExistingBridge(HostNetwork net, String bridge) {
    this.net = net;
    this.bridge = LinkNames.require("bridge", bridge);
  }

  @Override
  public BridgeStatus ensure() {
    return net.link(bridge).map(this::check).orElseGet(() -> BridgeStatus.notReady(bridge, BridgeStatus.BRIDGE_MISSING,
        "bridge " + bridge + " does not exist on this node; create it (network mode existing) or use network mode"
            + " managed or nat. Guest taps are created but not attached: guests run without network.", List.of()));
  }

  /** The admin's bridge is the admin's: a missing or downed one is reported by ensure(), never re-made. */
  @Override
  public NetworkRepair repair() {
    return NetworkRepair.none(bridge);
  }

  private BridgeStatus check(Link link) {
    if (!link.isBridge()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.NOT_A_BRIDGE, bridge + " exists but is a "
          + (link.kind().isEmpty() ? "plain NIC" : link.kind() + " link") + ", not a bridge", List.of());
    }
    if (!link.up()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.BRIDGE_DOWN,
          "bridge " + bridge + " is down; bring it up (ip link set " + bridge + " up)", List.of());
    }
    return BridgeStatus.ready(bridge, "using existing bridge " + bridge, List.of());
  }
}
