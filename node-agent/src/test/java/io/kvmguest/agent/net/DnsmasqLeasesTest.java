package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsmasqLeasesTest {
  private static final String FILE = """
      1700003600 52:54:00:12:34:56 10.88.0.57 tiny 01:52:54:00:12:34:56
      0 00:16:3e:51:fb:ce 10.88.0.9 * *
      1700000100 52:54:00:12:34:56 10.88.0.40 tiny *
      duid 00:01:00:01:2c:5f:1a:2b:52:54:00:00:00:01
      1700003600 1234 fd00::5 * 00:01:00:01
      garbage line
      """;

  @Test
  void parsesIpv4LinesAndSkipsTheRest() {
    List<DnsmasqLeases.Lease> leases = DnsmasqLeases.parse(FILE);

    assertEquals(3, leases.size());
    assertEquals(new DnsmasqLeases.Lease(Optional.of(Instant.ofEpochSecond(1700003600)), "52:54:00:12:34:56",
        "10.88.0.57", Optional.of("tiny")), leases.get(0));
    assertEquals(Optional.empty(), leases.get(1).expiry(), "0 means the lease never expires");
    assertEquals(Optional.empty(), leases.get(1).hostname());
  }

  @Test
  void newestActiveLeaseWinsAndMacCaseDoesNotMatter() {
    List<DnsmasqLeases.Lease> leases = DnsmasqLeases.parse(FILE);
    Instant now = Instant.ofEpochSecond(1700000000);

    assertEquals(Optional.of("10.88.0.57"), DnsmasqLeases.addressOf(leases, "52:54:00:12:34:56", now));
    assertEquals(Optional.of("10.88.0.9"), DnsmasqLeases.addressOf(leases, "00:16:3E:51:FB:CE", now));
    assertEquals(Optional.empty(), DnsmasqLeases.addressOf(leases, "52:54:00:12:34:56", Instant.ofEpochSecond(1800000000)),
        "expired leases say nothing");
    assertEquals(Optional.empty(), DnsmasqLeases.addressOf(leases, "52:54:00:00:00:99", now));
  }

  @Test
  void emptyFileHasNoLeases() {
    assertEquals(List.of(), DnsmasqLeases.parse(""));
  }
}
