package io.kvmguest.agent.net;

/** IPv4 forwarding and the NAT bridge's masquerading rules in the node's network namespace. */
public interface NatFirewall {

  boolean forwardingEnabled();

  void enableForwarding();

  /** True when every rule of {@link NatRules#forBridge} is present. */
  boolean masqueradeInstalled(String bridge, Ipv4Cidr subnet);

  /** Adds the missing rules. */
  void installMasquerade(String bridge, Ipv4Cidr subnet);

  /** Removes the rules that are present. */
  void removeMasquerade(String bridge, Ipv4Cidr subnet);
}
