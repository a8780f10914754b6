package io.kvmguest.agent.net;

import io.kvmguest.agent.net.NetworkRepair.Part;
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
 * and repair() puts back a dnsmasq that died, rules someone flushed or a bridge someone deleted.
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
  public synchronized BridgeStatus ensure() {
    String bridge = config.bridge();
    NetworkState before = NetworkState.read(net, List.of(bridge));
    if (nameTakenByNonBridge(before)) {
      return BridgeStatus.notReady(bridge, BridgeStatus.NOT_A_BRIDGE, notABridge(), List.of());
    }
    NetworkRepair done = putBackWhatIsMissing(before);
    return done.failure()
        .map(f -> BridgeStatus.notReady(bridge, BridgeStatus.APPLY_FAILED, f, done.changes()))
        .orElseGet(() -> BridgeStatus.ready(bridge, "NAT bridge " + bridge + " " + config.natGateway() + ", DHCP "
            + config.dhcpRangeStart() + "-" + config.dhcpRangeEnd() + ", masquerading " + config.natSubnet(), done.changes()));
  }

  /** The same steps as {@link #ensure()}, reported as what they put back. */
  @Override
  public synchronized NetworkRepair repair() {
    NetworkState before = NetworkState.read(net, List.of(config.bridge()));
    if (nameTakenByNonBridge(before)) {
      return NetworkRepair.failed(config.bridge(), List.of(), notABridge());
    }
    return putBackWhatIsMissing(before);
  }

  private boolean nameTakenByNonBridge(NetworkState before) {
    return before.link(config.bridge()).filter(l -> !l.isBridge()).isPresent();
  }

  private String notABridge() {
    return config.bridge() + " exists but is not a bridge; choose another bridge name for network mode nat";
  }

  /** Checks each part and does only what is missing; stops at the first failure, keeping what it did. */
  private NetworkRepair putBackWhatIsMissing(NetworkState before) {
    String bridge = config.bridge();
    List<NetworkRepair.Repaired> done = new ArrayList<>();
    try {
      for (NetworkStep step : StateDiff.steps(before, desired(before, bridge, config.natGateway()))) {
        step.applyTo(net);
        done.add(NetworkRepair.of(step, bridge));
      }
      DhcpSettings settings = DhcpSettings.of(config);
      if (before.link(bridge).isEmpty()) {
        for (NetworkStep step : DetachedTaps.reattach(net.links(), bridge)) {
          step.applyTo(net);
          done.add(NetworkRepair.of(step, bridge));
        }
        if (dhcp.running(settings).isPresent()) {
          // Its sockets were bound to the bridge that vanished: it would serve nobody.
          dhcp.stop(settings);
          done.add(new NetworkRepair.Repaired(Part.DHCP_SERVER, "stop DHCP server of the vanished bridge " + bridge));
        }
      }
      if (!firewall.forwardingEnabled()) {
        firewall.enableForwarding();
        done.add(new NetworkRepair.Repaired(Part.FORWARDING, "enable IPv4 forwarding"));
      }
      if (!firewall.masqueradeInstalled(bridge, config.natSubnet())) {
        firewall.installMasquerade(bridge, config.natSubnet());
        done.add(new NetworkRepair.Repaired(Part.MASQUERADE, "masquerade " + config.natSubnet()));
      }
      if (dhcp.running(settings).isEmpty()) {
        done.add(new NetworkRepair.Repaired(Part.DHCP_SERVER,
            "start DHCP server on " + bridge + " (pid " + dhcp.start(settings) + ")"));
      }
    } catch (RuntimeException e) {
      return NetworkRepair.failed(bridge, done, "setting up NAT bridge " + bridge + " failed: " + e.getMessage());
    }
    return new NetworkRepair(bridge, done, Optional.empty());
  }

  /** Stops DHCP, removes the rules and the bridge (taps still on it are released, not deleted). */
  @Override
  public synchronized void teardown() {
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
