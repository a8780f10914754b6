package io.kvmguest.agent.qemu;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The VNC server qemu runs: TCP port 5900 + {@code display} on {@code listenAddress}. With
 * {@code passwordRequired} clients are refused until the agent sets the password over QMP.
 * A console reachable from beyond the node (any address but loopback) always has a password:
 * without one, whoever reaches the port has the guest's keyboard.
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
    if (!passwordRequired && !isLoopback(listenAddress)) {
      throw new IllegalArgumentException(passwordMissing(listenAddress));
    }
  }

  /** 127.0.0.0/8 or ::1: only the node itself can connect. */
  public static boolean isLoopback(String address) {
    return address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1");
  }

  /** Why a console without a password is refused on {@code listenAddress}. */
  public static String passwordMissing(String listenAddress) {
    return "spec.vnc.passwordSecretRef is required: this node's VNC consoles listen on " + listenAddress
        + " (node agent --vnc-listen), which is not loopback, so a console without a password would be open to anyone who reaches the node";
  }

  public int port() {
    return 5900 + display;
  }
}
