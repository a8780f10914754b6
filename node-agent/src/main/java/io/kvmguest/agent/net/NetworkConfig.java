package io.kvmguest.agent.net;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The node agent's host-network settings.
 *
 * @param mode existing, managed or nat
 * @param bridge the bridge guest taps are attached to
 * @param uplink managed mode: the NIC that is moved into the bridge
 * @param natSubnet nat mode: the guests' subnet; the bridge takes its first host address
 * @param dnsServers nat mode: DNS servers handed out by DHCP (none by default: dnsmasq serves no DNS)
 * @param stateDir where the DHCP lease and pid files live
 * @param gatewayTimeout managed mode: how long the gateway may take to answer through the bridge
 */
public record NetworkConfig(
    NetworkMode mode, String bridge, String uplink, Ipv4Cidr natSubnet, List<String> dnsServers, Path stateDir,
    Duration gatewayTimeout) {

  public static final String DEFAULT_BRIDGE = "br0";
  public static final String DEFAULT_UPLINK = "eth0";
  public static final Ipv4Cidr DEFAULT_NAT_SUBNET = Ipv4Cidr.parse("10.88.0.0/24");

  public NetworkConfig {
    if (mode == null) {
      throw new IllegalArgumentException("network mode is required: existing, managed or nat");
    }
    LinkNames.require("bridge", bridge);
    LinkNames.require("uplink", uplink);
    if (bridge.equals(uplink)) {
      throw new IllegalArgumentException("bridge and uplink are both '" + bridge + "'; they must differ");
    }
    if (natSubnet.prefixLength() > 29 || natSubnet.prefixLength() < 8) {
      throw new IllegalArgumentException("NAT subnet " + natSubnet + " must have a prefix length of 8..29");
    }
    natSubnet = natSubnet.subnet();
    dnsServers = List.copyOf(dnsServers);
    dnsServers.forEach(Ipv4Cidr::toInt);
    if (gatewayTimeout.isNegative() || gatewayTimeout.isZero()) {
      throw new IllegalArgumentException("gateway timeout must be positive, got " + gatewayTimeout);
    }
  }

  /** Defaults for a mode: br0, eth0, 10.88.0.0/24, 10 s to reach the gateway. */
  public static NetworkConfig defaults(NetworkMode mode, Path stateDir) {
    return new NetworkConfig(mode, DEFAULT_BRIDGE, DEFAULT_UPLINK, DEFAULT_NAT_SUBNET, List.of(), stateDir,
        Duration.ofSeconds(10));
  }

  public NetworkConfig withBridge(String name) {
    return new NetworkConfig(mode, name, uplink, natSubnet, dnsServers, stateDir, gatewayTimeout);
  }

  public NetworkConfig withUplink(String name) {
    return new NetworkConfig(mode, bridge, name, natSubnet, dnsServers, stateDir, gatewayTimeout);
  }

  public NetworkConfig withNatSubnet(Ipv4Cidr subnet) {
    return new NetworkConfig(mode, bridge, uplink, subnet, dnsServers, stateDir, gatewayTimeout);
  }

  public NetworkConfig withGatewayTimeout(Duration timeout) {
    return new NetworkConfig(mode, bridge, uplink, natSubnet, dnsServers, stateDir, timeout);
  }

  /** The NAT bridge's own address: the subnet's first host, e.g. 10.88.0.1/24. */
  public Ipv4Cidr natGateway() {
    return natSubnet.host(1);
  }

  /** First address DHCP hands out: the one after the gateway. */
  public String dhcpRangeStart() {
    return natSubnet.host(2).address();
  }

  /** Last address DHCP hands out: the one before the broadcast address. */
  public String dhcpRangeEnd() {
    return Ipv4Cidr.fromInt(Ipv4Cidr.toInt(natSubnet.broadcast()) - 1);
  }

  public Path leaseFile() {
    return stateDir.resolve("dnsmasq-" + bridge + ".leases");
  }

  public Path pidFile() {
    return stateDir.resolve("dnsmasq-" + bridge + ".pid");
  }
}
