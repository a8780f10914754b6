package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NatRulesTest {
  @Test
  void masqueradeAndForwardRules() {
    List<String> lines = NatRules.forBridge("br0", Ipv4Cidr.parse("10.88.0.1/24")).stream()
        .map(r -> r.table() + " " + r.chain() + " " + String.join(" ", r.spec()))
        .toList();

    assertEquals(List.of(
        "nat POSTROUTING -s 10.88.0.0/24 ! -d 10.88.0.0/24 -m comment --comment kvmguest:br0 -j MASQUERADE",
        "filter FORWARD -i br0 -s 10.88.0.0/24 -m comment --comment kvmguest:br0 -j ACCEPT",
        "filter FORWARD -o br0 -d 10.88.0.0/24 -m conntrack --ctstate RELATED,ESTABLISHED"
            + " -m comment --comment kvmguest:br0 -j ACCEPT"), lines);
  }

  @Test
  void firewallChecksThenInsertsOnlyMissingRules() {
    ScriptedCommandRunner runner = new ScriptedCommandRunner()
        .answer("iptables -w 10 -t nat -C", 1, "")
        .answer("sysctl -n", 0, "0\n");
    LinuxNatFirewall firewall = new LinuxNatFirewall(runner);

    firewall.installMasquerade("br0", Ipv4Cidr.parse("10.88.0.0/24"));

    assertEquals(4, runner.calls().size(), runner.lines().toString());
    assertEquals("iptables -w 10 -t nat -I POSTROUTING -s 10.88.0.0/24 ! -d 10.88.0.0/24 -m comment --comment"
        + " kvmguest:br0 -j MASQUERADE", runner.lines().get(1));
    assertEquals(false, firewall.forwardingEnabled());
  }
}
