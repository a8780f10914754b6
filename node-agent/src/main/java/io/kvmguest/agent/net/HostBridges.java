package io.kvmguest.agent.net;

/** Picks the {@link HostBridge} for the configured mode. */
public final class HostBridges {
  private HostBridges() {}

  public static HostBridge forConfig(
      NetworkConfig config, HostNetwork net, Reachability reachability, NatFirewall firewall, DhcpServer dhcp) {
    return switch (config.mode()) {
      case EXISTING -> new ExistingBridge(net, config.bridge());
      case MANAGED -> new ManagedBridge(net, reachability, config.bridge(), config.uplink(), config.gatewayTimeout());
      case NAT -> new NatBridge(net, firewall, dhcp, config);
    };
  }
}
