package io.kvmguest.agent.qemu;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The VNC server qemu runs: TCP port 5900 + {@code display} on {@code listenAddress}. With
 * {@code passwordRequired} clients are refused until the agent sets the password over QMP.
 */
public record VncPlan(String listenAddress, int display, boolean passwordRequired) {
  /** An IPv4 or IPv6 literal: a host name would be resolved by qemu, and could smuggle in option syntax. */
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public VncPlan {
    Objects.requireNonNull(listenAddress, "vnc listenAddress");
    if (!IP_LITERAL.matcher(listenAddress).matches()) {
      throw new IllegalArgumentException("vnc listenAddress \"" + listenAddress + "\" is not an IP address such as 0.0.0.0 or ::");
    }
    if (display < 0 || display > 65535 - 5900) {
      throw new IllegalArgumentException("vnc display " + display + " is out of range 0-" + (65535 - 5900));
    }
  }

  public int port() {
    return 5900 + display;
  }
}
