package io.kvmguest.agent.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NAT mode: an isolated bridge with the subnet's first address, dnsmasq handing out the rest, and
 * masquerading for traffic leaving the subnet, like libvirt's default network. The node's uplink is
 * never touched. Each part is checked and only what is missing is done, so ensure() is idempotent
 * and also repairs a dnsmasq that died or rules someone flushed.
 */
public final class NatBridge implements HostBridge {
  private final HostNetwork net;
  private final NatFirewall firewall;
  private final DhcpServer dhcp;
  private final NetworkConfig config;

  public NatBridge(HostNetwork net, NatFirewall firewall, DhcpServer dhcp, NetworkConfig config) {
    this.net = net;
    this.firewall = firewall;
    this.dhcp = dhcp;
    this.config = config;
  }

  @Override
  public BridgeStatus ensure() {
    String bridge = config.bridge();
    NetworkState before = NetworkState.read(net, List.of(bridge));
    if (before.link(bridge).filter(l -> !l.isBridge()).isPresent()) {
      return BridgeStatus.notReady(bridge, BridgeStatus.NOT_A_BRIDGE, bridge
          + " exists but is not a bridge; choose another bridge name for network mode nat", List.of());
    }
    List<String> changes = new ArrayList<>();
    try {
      List<NetworkStep> steps = StateDiff.steps(before, desired(before, bridge, config.natGateway()));
      for (NetworkStep step : steps) {
        step.applyTo(net);
        changes.add(step.toString());
      }
      DhcpSettings settings = DhcpSettings.of(config);
      if (before.link(bridge).isEmpty() && dhcp.running(settings).isPresent()) {
        // Its sockets were bound to the bridge that vanished: it would serve nobody.
        dhcp.stop(settings);
        changes.add("stop DHCP server of the vanished bridge " + bridge);
      }
      if (!firewall.forwardingEnabled()) {
        firewall.enableForwarding();
        changes.add("enable IPv4 forwarding");
      }
      if (!firewall.masqueradeInstalled(bridge, config.natSubnet())) {
        firewall.installMasquerade(bridge, config.natSubnet());
        changes.add("masquerade " + config.natSubnet());
      }
      if (dhcp.running(settings).isEmpty()) {
        changes.add("start DHCP server on " + bridge + " (pid " + dhcp.start(settings) + ")");
      }
    } catch (RuntimeException e) {
      return BridgeStatus.notReady(bridge, BridgeStatus.APPLY_FAILED,
          "setting up NAT bridge " + bridge + " failed: " + e.getMessage(), changes);
    }
    return BridgeStatus.ready(bridge, "NAT bridge " + bridge + " " + config.natGateway() + ", DHCP "
        + config.dhcpRangeStart() + "-" + config.dhcpRangeEnd() + ", masquerading " + config.natSubnet(), changes);
  }

  /** Stops DHCP, removes the rules and the bridge (taps still on it are released, not deleted). */
  @Override
  public void teardown() {
    dhcp.stop(DhcpSettings.of(config));
    firewall.removeMasquerade(config.bridge(), config.natSubnet());
    if (net.link(config.bridge()).filter(Link::isBridge).isPresent()) {
      net.deleteLink(config.bridge());
    }
  }

  /** Pure: the bridge up, with the gateway address and a fixed MAC, keeping what else it has. */
  public static NetworkState desired(NetworkState actual, String bridge, Ipv4Cidr gateway) {
    Link br = actual.link(bridge).orElse(Link.bridge(bridge, "", List.of()));
    LinkedHashSet<Ipv4Cidr> addresses = new LinkedHashSet<>(br.addresses());
    addresses.add(gateway);
    Link want = br.withUp(true).withMaster(Optional.empty()).withMac(bridgeMac(bridge))
        .withAddresses(List.copyOf(addresses));
    return new NetworkState(Map.of(bridge, want), actual.routes());
  }

  /**
   * A fixed, locally administered MAC for the bridge. Without one a bridge takes the lowest MAC of
   * its ports, so it changes as taps come and go and the guests' ARP entry for the gateway goes stale.
   */
  public static String bridgeMac(String bridge) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(("kvmguest-nat:" + bridge).getBytes(StandardCharsets.UTF_8));
      return "02:" + HexFormat.ofDelimiter(":").formatHex(hash, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
