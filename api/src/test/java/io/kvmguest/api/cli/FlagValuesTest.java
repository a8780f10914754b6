package io.kvmguest.api.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagValuesTest {
  private static String error(Runnable parse) {
    return assertThrows(IllegalArgumentException.class, parse::run).getMessage();
  }

  @Test
  void valuesInRange() {
    assertEquals(-1, FlagValues.port("--p", "-1", -1));
    assertEquals(65535, FlagValues.port("--p", "65535", 0));
    assertEquals(Duration.ofSeconds(3600), FlagValues.wholeSeconds("--s", "3600", 1));
    assertEquals(1, FlagValues.wholeNumber("--t", " 1", 1, 10));
    assertEquals(Duration.ofMillis(2500), FlagValues.positiveSeconds("--s", "2.5"));
    assertEquals(1.5, FlagValues.atLeast("--n", "1.5", 1.0));
    assertEquals(2, FlagValues.oneOf("--m", "b", Map.of("b", 2)));
    assertEquals("0:0:0:0:0:0:0:1", FlagValues.ipAddress("--ip", "::1"));
    assertEquals(512L << 20, FlagValues.bytes("--mem", "512Mi"));
  }

  @Test
  void messagesNameTheFlagWhatItAcceptsAndWhatItGot() {
    assertEquals("--p must be a port number from 0 to 65535, got \"-1\"", error(() -> FlagValues.port("--p", "-1", 0)));
    assertEquals("--t must be a whole number from 1 to 10, got \"11\"", error(() -> FlagValues.wholeNumber("--t", "11", 1, 10)));
    assertEquals("--s must be whole seconds from 1 to 3600, got \"1.5\"", error(() -> FlagValues.wholeSeconds("--s", "1.5", 1)));
    assertEquals("--s must be a positive number of seconds, got \"0.0001\"", error(() -> FlagValues.positiveSeconds("--s", "0.0001")));
    assertEquals("--n must be a number of at least 1.0, got \"NaN\"", error(() -> FlagValues.atLeast("--n", "NaN", 1.0)));
    assertEquals("--ip must be an IP address, got \"example.com\"", error(() -> FlagValues.ipAddress("--ip", "example.com")));
    assertEquals("--mem must be a Kubernetes quantity such as 512Mi or 2Gi, got \"-1Gi\"", error(() -> FlagValues.bytes("--mem", "-1Gi")));
    assertEquals("--x: bad", error(() -> FlagValues.parsed("--x", "v", v -> {
      throw new IllegalArgumentException("bad");
    })));
  }

  @Test
  void theErrorLinePointsAtHelp() {
    assertEquals("operator: unknown option --x (see operator --help)", CommandLineExit.errorLine("operator", "unknown option --x"));
  }
}
