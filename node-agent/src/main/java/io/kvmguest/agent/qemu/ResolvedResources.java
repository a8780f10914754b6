package io.kvmguest.agent.qemu;

import java.util.Map;
import java.util.Optional;

/**
 * What the agent prepared on the host for one guest, keyed by the names in its spec.
 *
 * @param images disk and cdrom name → file or device qemu opens
 * @param macs interface name → MAC address (the one in status, allocated by the operator)
 * @param taps interface name → tap device, for bridge interfaces only
 * @param vnc the display allocated, when the guest has VNC enabled
 * @param portForwardAddress the node's address user-networking port forwards listen on
 */
public record ResolvedResources(
    Map<String, ResolvedImage> images,
    Map<String, String> macs,
    Map<String, String> taps,
    Optional<VncEndpoint> vnc,
    String portForwardAddress) {

  public ResolvedResources {
    images = images == null ? Map.of() : Map.copyOf(images);
    macs = macs == null ? Map.of() : Map.copyOf(macs);
    taps = taps == null ? Map.of() : Map.copyOf(taps);
    vnc = vnc == null ? Optional.empty() : vnc;
  }
}
