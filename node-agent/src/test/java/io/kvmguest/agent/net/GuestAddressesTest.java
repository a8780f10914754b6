package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.agent.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestAddressesTest {
  private static final String MAC = "52:54:00:12:34:56";
  private final Clock clock = Clock.fixed(Instant.ofEpochSecond(1700000000), ZoneOffset.UTC);
  private final FakeHostNetwork net = new FakeHostNetwork();
  @TempDir Path dir;

  GuestAddressesTest() {
    net.createBridge("br0");
  }

  @Test
  void leaseFileFirstOnceTheGuestAnswersForItsLease() throws IOException {
    Path leases = Files.writeString(dir.resolve("l"), "1700003600 " + MAC + " 10.88.0.57 tiny *\n");
    net.neighbour("br0", new Neighbour("10.88.0.99", MAC, List.of("STALE")));
    net.answersArp("br0", "10.88.0.57", MAC);

    assertEquals(Optional.of("10.88.0.57"), new GuestAddresses(net, "br0", Optional.of(leases), clock).ipv4Of(MAC));
  }

  @Test
  void aLeaseTheGuestHasNotBoundIsNoAddressAndIsProbedAtMostEveryTwoSeconds() throws IOException {
    Path leases = Files.writeString(dir.resolve("l"), "1700003600 " + MAC + " 10.88.0.57 tiny *\n");
    FakeClock time = new FakeClock(clock.instant());
    GuestAddresses addresses = new GuestAddresses(net, "br0", Optional.of(leases), time);

    assertEquals(Optional.empty(), addresses.ipv4Of(MAC), "dnsmasq offered it, the guest does not hold it yet");
    assertEquals(Optional.empty(), addresses.ipv4Of(MAC));
    assertEquals(1, probes(), "a second look within two seconds sends no second probe");

    net.answersArp("br0", "10.88.0.57", MAC);
    time.advance(GuestAddresses.PROBE_EVERY);
    assertEquals(Optional.of("10.88.0.57"), addresses.ipv4Of(MAC));
    assertEquals(2, probes());
    assertEquals(Optional.of("10.88.0.57"), addresses.ipv4Of(MAC));
    assertEquals(2, probes(), "an address the guest answered for needs no more probes");
  }

  @Test
  void anAnswerFromAnotherMacIsNotTheGuest() throws IOException {
    Path leases = Files.writeString(dir.resolve("l"), "1700003600 " + MAC + " 10.88.0.57 tiny *\n");
    net.answersArp("br0", "10.88.0.57", "52:54:00:00:00:09");

    assertEquals(Optional.empty(), new GuestAddresses(net, "br0", Optional.of(leases), clock).ipv4Of(MAC));
  }

  private long probes() {
    return net.commands().stream().filter(c -> c.startsWith("ping ")).count();
  }

  @Test
  void neighbourTableWhenNoLeaseIsKnown() {
    net.neighbour("br0", new Neighbour("192.168.1.77", "52:54:00:00:00:01", List.of("REACHABLE")));
    net.neighbour("br0", new Neighbour("192.168.1.50", MAC, List.of("FAILED")));
    net.neighbour("br0", new Neighbour("192.168.1.51", MAC, List.of("STALE")));

    GuestAddresses addresses = new GuestAddresses(net, "br0", Optional.of(dir.resolve("missing")), clock);

    assertEquals(Optional.of("192.168.1.51"), addresses.ipv4Of(MAC));
    assertEquals(Optional.empty(), addresses.ipv4Of("52:54:00:00:00:02"));
  }

  @Test
  void guestsLookingUpTogetherShareOneReadOfTheNeighbourTable() {
    net.neighbour("br0", new Neighbour("192.168.1.51", MAC, List.of("REACHABLE")));
    FakeClock time = new FakeClock(clock.instant());
    GuestAddresses addresses = new GuestAddresses(net, "br0", Optional.empty(), time);

    for (int guest = 0; guest < 20; guest++) {
      addresses.ipv4Of("52:54:00:00:01:" + String.format("%02x", guest));
    }
    assertEquals(1, net.neighbourReads());

    net.neighbour("br0", new Neighbour("192.168.1.52", "52:54:00:00:01:07", List.of("REACHABLE")));
    time.advance(GuestAddresses.NEIGHBOURS_FRESH_FOR);
    assertEquals(Optional.of("192.168.1.52"), addresses.ipv4Of("52:54:00:00:01:07"), "a new entry is seen once the read is old");
    assertEquals(2, net.neighbourReads());
  }

  @Test
  void missingBridgeMeansUnknownNotAnError() {
    assertEquals(Optional.empty(), new GuestAddresses(net, "br9", Optional.empty(), clock).ipv4Of(MAC));
  }

  @Test
  void onlyNatModeReadsLeases() throws IOException {
    NetworkConfig nat = NetworkConfig.defaults(NetworkMode.NAT, dir);
    Files.writeString(nat.leaseFile(), "0 " + MAC + " 10.88.0.5 * *\n");
    net.answersArp("br0", "10.88.0.5", MAC);

    // managed first: the NAT probe below leaves the guest in the neighbour table, as the kernel would
    assertEquals(Optional.empty(),
        GuestAddresses.forConfig(net, NetworkConfig.defaults(NetworkMode.MANAGED, dir), clock).ipv4Of(MAC));
    assertEquals(Optional.of("10.88.0.5"), GuestAddresses.forConfig(net, nat, clock).ipv4Of(MAC));
  }
}
