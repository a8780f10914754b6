package io.kvmguest.agent.net;

import java.util.List;

/**
 * The outcome of preparing the bridge, for the caller to turn into a condition (type e.g.
 * {@code HostNetworkReady}): {@code reason} is a CamelCase word, {@code message} says what is wrong
 * and what to do. {@code changes} lists what was done to the host, empty when it already was right.
 */
public record BridgeStatus(String bridge, boolean ready, String reason, String message, List<String> changes) {

  public static final String READY = "BridgeReady";
  public static final String BRIDGE_MISSING = "BridgeMissing";
  public static final String NOT_A_BRIDGE = "NotABridge";
  public static final String BRIDGE_DOWN = "BridgeDown";
  public static final String UPLINK_MISSING = "UplinkMissing";
  public static final String UPLINK_IN_OTHER_BRIDGE = "UplinkInOtherBridge";
  public static final String GATEWAY_UNREACHABLE = "GatewayUnreachable";
  public static final String APPLY_FAILED = "ApplyFailed";
  public static final String ROLLBACK_FAILED = "RollbackFailed";

  public BridgeStatus {
    changes = List.copyOf(changes);
  }

  public static BridgeStatus ready(String bridge, String message, List<String> changes) {
    return new BridgeStatus(bridge, true, READY, message, changes);
  }

  public static BridgeStatus notReady(String bridge, String reason, String message, List<String> changes) {
    return new BridgeStatus(bridge, false, reason, message, changes);
  }
}
