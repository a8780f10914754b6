package io.kvmguest.agent.net;

import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import java.util.ArrayList;
import java.util.List;

/**
 * The throwaway namespaces of the NAT integration tests: the node (running the agent's commands),
 * a guest whose NIC is a veth on the node's bridge (as a tap would be), and a "WAN" host behind the
 * node's uplink that has no route back to the guest subnet, so its replies only arrive masqueraded.
 */
final class NatNamespaces implements AutoCloseable {
  /** The WAN host's address, reachable from the guest only through masquerading. */
  static final String WAN_HOST = "192.0.2.1";

  final NetnsFixture node;
  final NetnsFixture guest;
  final NetnsFixture wan;

  private NatNamespaces(NetnsFixture node, NetnsFixture guest, NetnsFixture wan) {
    this.node = node;
    this.guest = guest;
    this.wan = wan;
  }

  /** {@code purpose} is a short word naming the test: namespaces kvg-PURPOSEnode-…, …guest-…, …wan-…. */
  static NatNamespaces create(String purpose) {
    Requirements.root();
    for (String binary : List.of("ip", "dnsmasq", "iptables", "sysctl", "busybox", "ping")) {
      Requirements.binary(binary);
    }
    List<NetnsFixture> made = new ArrayList<>();
    try {
      for (String role : List.of("node", "guest", "wan")) {
        made.add(NetnsFixture.create(purpose + role));
      }
      NatNamespaces ns = new NatNamespaces(made.get(0), made.get(1), made.get(2));
      ns.node.veth("eth0", ns.wan, "wan0");
      ns.node.exec("ip", "addr", "add", "192.0.2.10/24", "dev", "eth0");
      ns.wan.exec("ip", "addr", "add", WAN_HOST + "/24", "dev", "wan0");
      return ns;
    } catch (RuntimeException | Error e) {
      made.forEach(NetnsFixture::close); // a half-made set would outlive the failed test
      throw e;
    }
  }

  /** Plugs the guest's eth0 into the node's {@code bridge} as port kvgveth0; returns the guest NIC's MAC. */
  String plugGuest(LinuxHostNetwork nodeNet, String bridge) {
    node.veth("kvgveth0", guest, "eth0");
    nodeNet.setMaster("kvgveth0", bridge);
    return new LinuxHostNetwork(guest.runner()).link("eth0").orElseThrow().mac();
  }

  /** Deletes the namespaces and whatever still runs in them. */
  @Override
  public void close() {
    guest.close();
    wan.close();
    node.close();
  }
}
