package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link NatFirewall} through {@code iptables} (the nft-backed one on current distributions) and
 * {@code sysctl}, run by the runner, i.e. inside the agent's network namespace: forwarding is a
 * per-namespace setting.
 */
public final class LinuxNatFirewall implements NatFirewall {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final CommandRunner runner;

  public LinuxNatFirewall(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public boolean forwardingEnabled() {
    return runner.check(List.of("sysctl", "-n", "net.ipv4.ip_forward"), TIMEOUT).stdout().strip().equals("1");
  }

  @Override
  public void enableForwarding() {
    runner.check(List.of("sysctl", "-q", "-w", "net.ipv4.ip_forward=1"), TIMEOUT);
  }

  @Override
  public boolean masqueradeInstalled(String bridge, Ipv4Cidr subnet) {
    return NatRules.forBridge(bridge, subnet).stream().allMatch(this::present);
  }

  @Override
  public void installMasquerade(String bridge, Ipv4Cidr subnet) {
    for (NatRules.Rule rule : NatRules.forBridge(bridge, subnet)) {
      if (!present(rule)) {
        // Inserted at the top, so a host's own DROP rules further down do not shadow them.
        runner.check(iptables(rule, "-I"), TIMEOUT);
      }
    }
  }

  @Override
  public void removeMasquerade(String bridge, Ipv4Cidr subnet) {
    for (NatRules.Rule rule : NatRules.forBridge(bridge, subnet)) {
      // A rule may have been added twice by hand; bounded, so a stuck -D cannot loop forever.
      for (int i = 0; i < 10 && present(rule); i++) {
        runner.check(iptables(rule, "-D"), TIMEOUT);
      }
    }
  }

  private boolean present(NatRules.Rule rule) {
    return runner.run(iptables(rule, "-C"), TIMEOUT).ok();
  }

  private static List<String> iptables(NatRules.Rule rule, String op) {
    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "10", "-t", rule.table(), op, rule.chain()));
    argv.addAll(rule.spec());
    return argv;
  }
}
