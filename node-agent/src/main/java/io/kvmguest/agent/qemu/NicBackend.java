package io.kvmguest.agent.qemu;

import java.util.List;
import java.util.Objects;

/** What a NIC is plugged into on the host side (qemu -netdev). */
public sealed interface NicBackend {

  /** A tap device the agent created and attached to a bridge; qemu opens it, never configures it. */
  record Tap(String tapName) implements NicBackend {
    public Tap {
      Objects.requireNonNull(tapName, "tapName");
    }
  }

  /**
   * qemu user-mode networking (slirp), cut off from everything outside it, with host ports
   * forwarded into the guest.
   *
   * @param forwardAddress the node's IPv4 address the forwarded ports listen on (the agent's
   *     --port-forward-address)
   */
  record User(String forwardAddress, List<PortForward> portForwards) implements NicBackend {
    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    public User {
      portForwards = portForwards == null ? List.of() : List.copyOf(portForwards);
      if (forwardAddress == null || !IPV4.matcher(forwardAddress).matches()) {
        throw new IllegalArgumentException("port forward address \"" + forwardAddress + "\" is not an IPv4 address such as 127.0.0.1");
      }
    }
  }

  /** One hostfwd rule; the host side listens on {@link User#forwardAddress}. */
  record PortForward(Protocol protocol, int hostPort, int guestPort) {
    public PortForward {
      Objects.requireNonNull(protocol, "protocol");
      checkPort("hostPort", hostPort);
      checkPort("guestPort", guestPort);
    }

    private static void checkPort(String field, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(field + " " + port + " is out of range 1-65535");
      }
    }
  }

  enum Protocol {
    TCP,
    UDP;

    public static Protocol fromApi(String name) {
      return switch (name == null ? "TCP" : name) {
        case "TCP" -> TCP;
        case "UDP" -> UDP;
        default -> throw new IllegalArgumentException("protocol \"" + name + "\" is not supported: use TCP or UDP");
      };
    }

    /** Spelling in qemu's hostfwd rule. */
    public String qemuName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
