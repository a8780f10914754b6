package io.kvmguest.agent.net;

/**
 * A guest NIC's tap after plugging: it always exists and is up; {@code attached} says whether it is
 * on the bridge. When not, {@code reason} and {@code message} say why (e.g. BridgeMissing).
 */
public record TapStatus(String tap, String bridge, boolean attached, String reason, String message) {
  public static final String ATTACHED = "TapAttached";
}
