package io.kvmguest.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.operator.placement.PlacementPolicy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {
  @Test
  void defaultsMatchTheContract() {
    OperatorOptions o = OperatorOptions.parse();
    assertEquals("00:16:3e", o.macPrefix());
    assertEquals(PlacementPolicy.SPREAD, o.placement());
    assertEquals(1.0, o.cpuOvercommit());
    assertEquals(Duration.ofSeconds(40), o.nodeStaleAfter());
    assertEquals(Optional.empty(), o.leaderElectionNamespace());
    assertEquals(Optional.empty(), o.namespace());
  }

  @Test
  void everyFlagParses() {
    OperatorOptions o = OperatorOptions.parse("--mac-prefix", "52:54:00", "--placement", "pack", "--cpu-overcommit", "4",
        "--node-stale-after", "15", "--health-port", "9090", "--leader-election-namespace", "kvmguest-system",
        "--namespace", "vms", "--reschedule-interval", "2.5");
    assertEquals(new OperatorOptions("52:54:00", PlacementPolicy.PACK, 4.0, Duration.ofSeconds(15), 9090,
        Optional.of("kvmguest-system"), Optional.of("vms"), Duration.ofMillis(2500)), o);
  }

  @Test
  void badValuesSayWhatIsAllowed() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse("--placement", "random")).getMessage().contains("spread or pack"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse("--cpu-overcommit", "0.5")).getMessage().contains("at least 1.0"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse("--bogus", "1")).getMessage().contains("unknown option --bogus"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse("--namespace")).getMessage().contains("needs a value"));
  }
}
