package io.kvmguest.agent.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.net.NetworkRepair.Part;
import io.kvmguest.agent.testing.NetnsDhcpClient;
import io.kvmguest.agent.testing.NetnsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Self-repair for real, in the namespaces of {@link NatNamespaces}: dnsmasq is killed and the NAT
 * rules flushed under a guest holding a lease; the watchdog puts both back within its interval, and
 * the guest renews its lease from the new dnsmasq and reaches the WAN host again.
 */
class NetworkWatchdogIT {
  private static final Duration INTERVAL = Duration.ofSeconds(2);
  /** The promise: a guest renews within a minute of dnsmasq dying. */
  private static final Duration RENEWED_WITHIN = Duration.ofSeconds(60);

  @TempDir Path state;
  private NatNamespaces ns;
  private NetnsFixture node;

  @BeforeEach
  void namespaces() {
    ns = NatNamespaces.create("wd");
    node = ns.node;
  }

  @AfterEach
  void cleanUp() {
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  void killedDnsmasqAndFlushedRulesAreRepairedAndTheGuestRenewsItsLease() throws Exception {
    LinuxHostNetwork net = new LinuxHostNetwork(node.runner());
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, state);
    DhcpSettings settings = DhcpSettings.of(config);
    LinuxDhcpServer dhcp = new LinuxDhcpServer(node.runner());
    LinuxNatFirewall firewall = new LinuxNatFirewall(node.runner());
    NatBridge nat = new NatBridge(net, firewall, dhcp, config);
    assertTrue(nat.ensure().ready());
    String guestMac = ns.plugGuest(net, "br0");
    List<NetworkRepair> told = new CopyOnWriteArrayList<>();
    List<Long> toldAtNanos = new CopyOnWriteArrayList<>();

    try (NetnsDhcpClient.KeptLease lease = new NetnsDhcpClient(state).keepLease(ns.guest, "eth0");
        NetworkWatchdog watchdog = new NetworkWatchdog(nat, INTERVAL, what -> {
          toldAtNanos.add(System.nanoTime());
          told.add(what);
        })) {
      await().atMost(Duration.ofSeconds(30)).until(() -> lease.address().isPresent());
      String address = lease.address().get();
      assertTrue(config.natSubnet().contains(address), address);
      long oldPid = dhcp.running(settings).orElseThrow();
      ProcessHandle oldDnsmasq = ProcessHandle.of(oldPid).orElseThrow();

      long brokenAt = System.nanoTime();
      node.exec("iptables", "-w", "10", "-t", "nat", "-F", "POSTROUTING");
      node.exec("iptables", "-w", "10", "-F", "FORWARD");
      oldDnsmasq.destroyForcibly(); // SIGKILL, by its pid: no chance to clean up, as with the OOM killer
      oldDnsmasq.onExit().get(10, TimeUnit.SECONDS);
      assertFalse(firewall.masqueradeInstalled("br0", config.natSubnet()), "scene: rules flushed");
      // started only now: a check between the flush and this line would repair before the scene is checked
      watchdog.start();

      await().atMost(INTERVAL.multipliedBy(2).plusSeconds(20)).until(() ->
          told.stream().anyMatch(r -> r.repairedAny(Part.DHCP_SERVER)) && told.stream().anyMatch(r -> r.repairedAny(Part.MASQUERADE)));
      long repairedAt = toldAtNanos.get(toldAtNanos.size() - 1);
      double repairSeconds = (repairedAt - brokenAt) / 1e9;
      assertTrue(told.stream().allMatch(r -> r.failure().isEmpty()), told.toString());
      long newPid = dhcp.running(settings).orElseThrow();
      assertNotEquals(oldPid, newPid);
      assertTrue(node.pids().contains(newPid), "the new dnsmasq runs inside the node namespace");
      assertTrue(firewall.masqueradeInstalled("br0", config.natSubnet()));
      assertTrue(repairSeconds <= INTERVAL.toSeconds() + 15, "repaired after " + repairSeconds + " s");

      long renewsBefore = lease.count("renew");
      lease.renew();
      await().atMost(RENEWED_WITHIN.minusNanos(System.nanoTime() - brokenAt))
          .until(() -> lease.count("renew") > renewsBefore);
      double renewSeconds = (System.nanoTime() - brokenAt) / 1e9;
      assertEquals(Optional.of(address), lease.address(), "the guest keeps its address");
      assertEquals(Optional.of(address), GuestAddresses.forConfig(net, config, Clock.systemUTC()).ipv4Of(guestMac),
          "the new dnsmasq knows the lease");
      assertTrue(new LinuxReachability(ns.guest.runner()).reachable(NatNamespaces.WAN_HOST, Duration.ofSeconds(10)),
          "guest cannot reach the WAN host: masquerading was not restored");
      System.out.printf("NetworkWatchdogIT: interval %d s; dnsmasq killed and rules flushed -> repaired after %.2f s "
          + "(%d report(s): %s); guest lease renewed %.2f s after the breakage%n", INTERVAL.toSeconds(), repairSeconds,
          told.size(), told.stream().map(NetworkRepair::summary).toList(), renewSeconds);
    }
    nat.teardown();
    assertFalse(Files.exists(config.pidFile()));
  }
}
