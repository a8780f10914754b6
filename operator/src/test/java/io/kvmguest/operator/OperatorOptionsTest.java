package io.kvmguest.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.cli.HelpRequested;
import io.kvmguest.operator.placement.PlacementPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {
  private static OperatorOptions parse(String... args) {
    return OperatorOptions.parse(List.of(args), Map.of());
  }

  private static String error(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage();
  }

  @Test
  void defaultsMatchTheContract() {
    OperatorOptions o = parse();
    assertEquals("00:16:3e", o.macPrefix());
    assertEquals(PlacementPolicy.SPREAD, o.placement());
    assertEquals(1.0, o.cpuOvercommit());
    assertEquals(Duration.ofSeconds(40), o.nodeStaleAfter());
    assertEquals(8080, o.healthPort());
    assertEquals(Duration.ofSeconds(30), o.rescheduleInterval());
    assertEquals(OperatorOptions.DEFAULT_RECONCILE_THREADS, o.reconcileThreads());
    assertEquals(Optional.empty(), o.leaderElectionNamespace());
    assertEquals(Optional.empty(), o.namespace());
    assertEquals(OperatorOptions.defaults(), o, "parse() and defaults() agree");
  }

  @Test
  void everyFlagParses() {
    OperatorOptions o = parse("--mac-prefix", "52:54:00", "--placement", "pack", "--cpu-overcommit", "4",
        "--node-stale-after", "15", "--health-port", "9090", "--leader-election-namespace", "kvmguest-system",
        "--namespace", "vms", "--reschedule-interval", "2.5", "--reconcile-threads", "4");
    assertEquals(new OperatorOptions("52:54:00", PlacementPolicy.PACK, 4.0, Duration.ofSeconds(15), 9090,
        Optional.of("kvmguest-system"), Optional.of("vms"), Duration.ofMillis(2500), 4), o);
    assertEquals(-1, parse("--health-port", "-1").healthPort(), "-1: off");
    assertEquals(0, parse("--health-port", "0").healthPort(), "0: any free port");
    assertEquals(PlacementPolicy.SPREAD, parse("--placement", "SPREAD").placement(), "any case, as before");
  }

  @Test
  void leaderElectionTakesItsNamespaceFromTheFlagElsePodNamespace() {
    Map<String, String> pod = Map.of("POD_NAMESPACE", "kvmguest");
    assertEquals(Optional.of("kvmguest"), OperatorOptions.parse(List.of("--leader-election"), pod).leaderElectionNamespace());
    assertEquals(Optional.of("leases"),
        OperatorOptions.parse(List.of("--leader-election", "--leader-election-namespace", "leases"), pod).leaderElectionNamespace());
    assertEquals(Optional.empty(), OperatorOptions.parse(List.of(), pod).leaderElectionNamespace(), "$POD_NAMESPACE alone: no election");
    var missing = assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse(List.of("--leader-election"), Map.of()));
    assertEquals("--leader-election needs --leader-election-namespace or $POD_NAMESPACE", missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse(List.of("--leader-election"), Map.of("POD_NAMESPACE", " ")));
  }

  @Test
  void badValuesSayWhatIsAllowed() {
    assertTrue(error("--placement", "random").contains("spread, pack"));
    assertEquals("--placement must be one of spread, pack, got \"random\"", error("--placement", "random"));
    assertTrue(error("--cpu-overcommit", "0.5").contains("at least 1.0"));
    assertEquals("--cpu-overcommit must be a number of at least 1.0, got \"x\"", error("--cpu-overcommit", "x"));
    assertEquals("--node-stale-after must be a positive number of seconds, got \"0\"", error("--node-stale-after", "0"));
    assertEquals("--reschedule-interval must be a positive number of seconds, got \"-1\"", error("--reschedule-interval", "-1"));
    assertEquals("--reconcile-threads must be a whole number from 1 to 1000, got \"0\"", error("--reconcile-threads", "0"));
    assertEquals("--health-port must be a port number from -1 to 65535, got \"70000\"", error("--health-port", "70000"));
    assertEquals("--health-port must be a port number from -1 to 65535, got \"80.5\"", error("--health-port", "80.5"));
  }

  @Test
  void badCommandLines() {
    assertTrue(error("--bogus", "1").contains("unknown option --bogus"));
    assertTrue(error("--namespace").contains("needs a value"));
    assertEquals("unexpected argument extra", error("extra"));
  }

  @Test
  void help() {
    HelpRequested help = assertThrows(HelpRequested.class, () -> parse("--help"));
    assertTrue(help.usage().startsWith("Usage: operator"), help.usage());
    for (String flag : List.of("--mac-prefix", "--placement", "--cpu-overcommit", "--node-stale-after", "--reschedule-interval",
        "--health-port", "--leader-election", "--leader-election-namespace", "$POD_NAMESPACE", "--namespace")) {
      assertTrue(help.usage().contains(flag), flag + " in\n" + help.usage());
    }
    assertEquals(help.usage(), OperatorOptions.usage());
  }
}
