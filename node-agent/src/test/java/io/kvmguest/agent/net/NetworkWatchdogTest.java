package io.kvmguest.agent.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.net.NetworkRepair.Part;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NetworkWatchdogTest {
  private final List<NetworkRepair> told = new CopyOnWriteArrayList<>();

  /** A bridge whose repair() is {@code check}. */
  private static HostBridge repairing(Supplier<NetworkRepair> check) {
    return new HostBridge() {
      public BridgeStatus ensure() {
        throw new UnsupportedOperationException("the watchdog only repairs");
      }

      public NetworkRepair repair() {
        return check.get();
      }
    };
  }

  /** A bridge whose checks return these results in turn, then healthy ones. */
  private static HostBridge scripted(NetworkRepair... results) {
    Queue<NetworkRepair> queue = new ConcurrentLinkedQueue<>(List.of(results));
    return repairing(() -> Optional.ofNullable(queue.poll()).orElse(NetworkRepair.none("br0")));
  }

  private static NetworkRepair repaired(String what) {
    return new NetworkRepair("br0", List.of(new NetworkRepair.Repaired(Part.DHCP_SERVER, what)), Optional.empty());
  }

  @Test
  void theListenerHearsOfRepairsNotOfHealthyChecks() {
    NetworkWatchdog watchdog = new NetworkWatchdog(scripted(NetworkRepair.none("br0"), repaired("start dnsmasq")),
        Duration.ofSeconds(10), told::add);

    watchdog.check();
    watchdog.check();
    watchdog.check();

    assertEquals(List.of(repaired("start dnsmasq")), told);
  }

  @Test
  void aFailureIsToldWhenItAppearsOrChangesNotAtEveryCheck() {
    NetworkRepair broken = NetworkRepair.failed("br0", List.of(), "iptables: not found");
    NetworkRepair worse = NetworkRepair.failed("br0", List.of(), "ip: not found");
    NetworkWatchdog watchdog = new NetworkWatchdog(scripted(broken, broken, broken, worse, NetworkRepair.none("br0"), broken),
        Duration.ofSeconds(10), told::add);

    for (int i = 0; i < 6; i++) {
      watchdog.check();
    }

    assertEquals(List.of(broken, worse, broken), told, "a failure after a healthy check is news again");
  }

  @Test
  void theTimerRepairsAFakeNatNetworkAgainAndAgain() {
    FakeHostNetwork net = new FakeHostNetwork();
    FakeDhcpServer dhcp = new FakeDhcpServer();
    NetworkConfig config = NetworkConfig.defaults(NetworkMode.NAT, Path.of("/var/lib/kvmguest"));
    NatBridge nat = new NatBridge(net, new FakeNatFirewall(), dhcp, config);
    nat.ensure();
    try (NetworkWatchdog watchdog = new NetworkWatchdog(nat, Duration.ofMillis(20), told::add).start()) {
      synchronized (nat) { // the fakes are not thread-safe; NatBridge's methods hold this monitor too
        dhcp.crash(DhcpSettings.of(config));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 1);
      synchronized (nat) {
        dhcp.crash(DhcpSettings.of(config));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
      assertTrue(told.stream().allMatch(r -> r.repairedAny(Part.DHCP_SERVER)), told.toString());
    }
    assertEquals(3, dhcp.starts());
  }

  @Test
  void aCheckThatThrowsDoesNotStopTheTimer() {
    AtomicInteger checks = new AtomicInteger();
    HostBridge flaky = repairing(() -> {
      if (checks.incrementAndGet() < 3) {
        throw new IllegalStateException("ip: injected failure");
      }
      return repaired("set br0 up");
    });
    try (NetworkWatchdog watchdog = new NetworkWatchdog(flaky, Duration.ofMillis(10), told::add).start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> !told.isEmpty());
    }
    assertTrue(checks.get() >= 3);
  }

  @Test
  void closeStopsTheChecks() {
    AtomicInteger checks = new AtomicInteger();
    HostBridge counting = repairing(() -> {
      checks.incrementAndGet();
      return NetworkRepair.none("br0");
    });
    NetworkWatchdog watchdog = new NetworkWatchdog(counting, Duration.ofMillis(10), told::add).start();
    await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() >= 2);

    watchdog.close();
    int after = checks.get();

    await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> checks.get() == after);
    assertThrows(IllegalStateException.class, watchdog::start, "no restart after close");
  }

  @Test
  void nothingRunsBeforeStartAndCloseWithoutStartIsFine() {
    new NetworkWatchdog(scripted(repaired("x")), Duration.ofMillis(1), told::add).close();
    assertEquals(List.of(), told);
  }

  @Test
  void theIntervalMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new NetworkWatchdog(scripted(), Duration.ZERO, told::add));
    assertThrows(IllegalArgumentException.class, () -> new NetworkWatchdog(scripted(), Duration.ofSeconds(-1), told::add));
  }
}
