package io.kvmguest.agent.net;

import java.util.List;
import java.util.stream.Stream;

/**
 * Pure: the iptables rules of a NAT bridge, like libvirt's default network: masquerade what leaves
 * the subnet, and let the subnet's traffic and its replies through FORWARD even where its policy is
 * DROP. Each rule is {@code table, chain, rule spec...} and carries a comment naming its owner.
 */
public final class NatRules {
  private NatRules() {}

  public record Rule(String table, String chain, List<String> spec) {}

  public static List<Rule> forBridge(String bridge, Ipv4Cidr subnet) {
    String net = subnet.subnet().toString();
    List<String> comment = List.of("-m", "comment", "--comment", "kvmguest:" + LinkNames.require("bridge", bridge));
    return List.of(
        new Rule("nat", "POSTROUTING", concat(List.of("-s", net, "!", "-d", net), comment, List.of("-j", "MASQUERADE"))),
        new Rule("filter", "FORWARD", concat(List.of("-i", bridge, "-s", net), comment, List.of("-j", "ACCEPT"))),
        new Rule("filter", "FORWARD", concat(List.of("-o", bridge, "-d", net, "-m", "conntrack", "--ctstate",
            "RELATED,ESTABLISHED"), comment, List.of("-j", "ACCEPT"))));
  }

  private static List<String> concat(List<String> match, List<String> comment, List<String> target) {
    return Stream.of(match, comment, target).flatMap(List::stream).toList();
  }
}
