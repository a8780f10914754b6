package io.kvmguest.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.cgroup.CgroupMode;
import io.kvmguest.agent.net.Ipv4Cidr;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.api.cli.HelpRequested;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import io.kvmguest.agent.disk.IpRange;

/** The node agent's command line (Kubernetes-mode flags: KubernetesModeOptionsTest). */
class AgentOptionsTest {

  private static AgentOptions parse(String... extra) {
    List<String> args = new ArrayList<>(List.of("--state-dir", "/var/lib/kvmguest"));
    args.addAll(List.of(extra));
    return AgentOptions.parse(args, Map.of(), "host-1");
  }

  private static String error(String... extra) {
    return assertThrows(IllegalArgumentException.class, () -> parse(extra)).getMessage();
  }

  @Test
  void defaults() {
    AgentOptions o = parse();
    assertEquals(AgentOptions.defaults(Path.of("/var/lib/kvmguest"), "host-1"), o, "parse() and defaults() agree");
    assertEquals(NetworkMode.NAT, o.networkMode());
    assertEquals("br0", o.bridge());
    assertEquals("eth0", o.uplink());
    assertEquals(Ipv4Cidr.parse("10.88.0.0/24"), o.subnet());
    assertEquals(List.of(), o.allowedDirs());
    assertEquals(List.of(), o.allowedDevices());
    assertEquals(List.of(), o.allowedBridges(), "no bridge besides --bridge unless the admin names one");
    assertEquals(Optional.empty(), o.netns());
    assertEquals("127.0.0.1", o.vncListen());
    assertEquals("127.0.0.1", o.portForwardAddress(), "forwarded ports stay on the node unless the admin says otherwise");
    assertEquals(Duration.ofSeconds(30), o.stopGrace());
    assertFalse(o.keepGuests());
    assertEquals(CgroupMode.NONE, o.guestCgroups());
    assertEquals("kvmguest", o.guestCgroupParent());
    assertEquals(-1, o.metricsPort());
    assertEquals(Duration.ofSeconds(10), o.networkCheckInterval());
  }

  @Test
  void httpImportFlags() {
    AgentOptions d = parse();
    assertEquals(List.of(), d.httpImportAllow(), "public addresses only");
    assertEquals(64L << 30, d.httpImportMaxBytes());
    assertEquals(200L << 30, d.httpImportCacheMaxBytes());
    assertEquals(Duration.ofDays(14), d.httpImportCacheMaxAge());

    AgentOptions o = parse("--http-import-allow", "127.0.0.0/8", "--http-import-allow", "fd00::/8",
        "--http-import-max-bytes", "10Gi", "--http-import-cache-max-bytes", "1Ti", "--http-import-cache-max-age-hours", "24");
    assertEquals(List.of(IpRange.parse("127.0.0.0/8"), IpRange.parse("fd00::/8")), o.httpImportAllow());
    assertEquals(10L << 30, o.httpImportMaxBytes());
    assertEquals(1L << 40, o.httpImportCacheMaxBytes());
    assertEquals(Duration.ofHours(24), o.httpImportCacheMaxAge());

    assertEquals("--http-import-allow: \"metadata.internal\" is not a CIDR block such as 10.0.0.0/8, 127.0.0.1 or fd00::/8",
        error("--http-import-allow", "metadata.internal"));
    assertEquals("--http-import-max-bytes must be a Kubernetes quantity of at least 1 byte, such as 64Gi, got \"0\"",
        error("--http-import-max-bytes", "0"));
    assertEquals("--http-import-cache-max-age-hours must be whole hours from 1 to 87600, got \"0\"",
        error("--http-import-cache-max-age-hours", "0"));
  }

  @Test
  void everyFlag() {
    AgentOptions o = parse("--guests-dir", "/srv/guests", "--network", "managed", "--bridge", "br1", "--uplink", "eno1",
        "--subnet", "10.99.0.0/16", "--allowed-dir", "/srv/iso", "--allowed-dir", "/srv/images", "--allowed-device", "/dev/vg0/=tenant-a",
        "--allowed-device", "/dev/sdb", "--netns", "test-ns", "--vnc-listen", "0.0.0.0", "--stop-grace", "0", "--keep-guests",
        "--guest-cgroups", "systemd", "--guest-cgroup-parent", "vms.slice-1", "--metrics-port", "9100",
        "--network-check-interval", "3", "--allowed-bridge", "br-lab", "--allowed-bridge", "br-dmz");
    assertEquals(Optional.of(Path.of("/srv/guests")), o.guestsDir());
    assertEquals(List.of("br-lab", "br-dmz"), o.allowedBridges(), "repeatable, in order");
    assertEquals(NetworkMode.MANAGED, o.networkMode());
    assertEquals("br1", o.bridge());
    assertEquals("eno1", o.uplink());
    assertEquals(Ipv4Cidr.parse("10.99.0.0/16"), o.subnet());
    assertEquals(List.of(Path.of("/srv/iso"), Path.of("/srv/images")), o.allowedDirs(), "repeatable, in order");
    assertEquals(List.of("/dev/vg0/=tenant-a", "/dev/sdb"), o.allowedDevices());
    assertEquals(Optional.of("test-ns"), o.netns());
    assertEquals("0.0.0.0", o.vncListen());
    assertEquals(Duration.ZERO, o.stopGrace());
    assertTrue(o.keepGuests());
    assertEquals(CgroupMode.SYSTEMD, o.guestCgroups());
    assertEquals("vms.slice-1", o.guestCgroupParent());
    assertEquals(9100, o.metricsPort());
    assertEquals(Duration.ofSeconds(3), o.networkCheckInterval());
    assertEquals(0, parse("--metrics-port", "0").metricsPort(), "0: pick a free port");
    assertEquals("10.1.2.3", parse("--port-forward-address", "10.1.2.3").portForwardAddress());
    assertEquals(CgroupMode.AUTO, parse("--guest-cgroups", "auto").guestCgroups());
    assertEquals(CgroupMode.CGROUPFS, parse("--guest-cgroups", "cgroupfs").guestCgroups());
    assertEquals(NetworkMode.EXISTING, parse("--network=existing").networkMode(), "--flag=value works too");
  }

  @Test
  void relativePathsBecomeAbsolute() {
    AgentOptions o = AgentOptions.parse(List.of("--state-dir", "state", "--allowed-dir", "iso"), Map.of(), "h");
    assertTrue(o.stateDir().isAbsolute());
    assertTrue(o.allowedDirs().get(0).isAbsolute());
  }

  @Test
  void badValuesNameTheFlagAndWhatIsAllowed() {
    assertEquals("--vnc-listen must be an IP address, got \"localhost\"", error("--vnc-listen", "localhost"));
    assertEquals("--port-forward-address must be an IPv4 address (qemu's hostfwd listens on IPv4 only), got \"::1\"",
        error("--port-forward-address", "::1"));
    assertEquals("--stop-grace must be whole seconds from 0 to 3600, got \"3601\"", error("--stop-grace", "3601"));
    assertEquals("--network must be one of existing, managed, nat, got \"bridge\"", error("--network", "bridge"));
    assertEquals("--guest-cgroups must be one of auto, systemd, cgroupfs, none, got \"v2\"", error("--guest-cgroups", "v2"));
    assertEquals("--guest-cgroups must be one of auto, systemd, cgroupfs, none, got \"NONE\"", error("--guest-cgroups", "NONE"));
    assertTrue(error("--guest-cgroup-parent", "..").startsWith("--guest-cgroup-parent must be 1 to 64 of A-Z a-z 0-9 _ . -"));
    assertTrue(error("--guest-cgroup-parent", ".").startsWith("--guest-cgroup-parent must be"));
    assertTrue(error("--guest-cgroup-parent", "a/b").startsWith("--guest-cgroup-parent must be"));
    assertTrue(error("--guest-cgroup-parent", "x".repeat(65)).startsWith("--guest-cgroup-parent must be"));
    assertEquals("--metrics-port must be a port number from -1 to 65535, got \"65536\"", error("--metrics-port", "65536"));
    assertEquals("--metrics-port must be a port number from -1 to 65535, got \"-2\"", error("--metrics-port", "-2"));
    assertTrue(error("--subnet", "10.88.0.0").startsWith("--subnet: "), error("--subnet", "10.88.0.0"));
    assertEquals("--network-check-interval must be whole seconds from 1 to 3600, got \"0\"", error("--network-check-interval", "0"));
    assertTrue(error("--allowed-device", "/dev/sdb=Tenant").startsWith("--allowed-device entry \"/dev/sdb=Tenant\": "),
        error("--allowed-device", "/dev/sdb=Tenant"));
    assertTrue(error("--allowed-bridge", "br 0").startsWith("--allowed-bridge 'br 0' is not a valid link name"),
        error("--allowed-bridge", "br 0"));
    assertEquals("--network-check-interval must be whole seconds from 1 to 3600, got \"1.5\"",
        error("--network-check-interval", "1.5"));
  }

  @Test
  void badCommandLines() {
    assertEquals("unknown option --bogus", error("--bogus", "1"));
    assertEquals("--namespace needs a value", error("--namespace"));
    assertEquals("unexpected argument stray", error("stray"));
    var missing = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(List.of(), Map.of(), "h"));
    assertEquals("--state-dir is required", missing.getMessage());
  }

  @Test
  void helpIsNotAnErrorAndNeedsNoStateDir() {
    HelpRequested help = assertThrows(HelpRequested.class, () -> AgentOptions.parse(List.of("--help"), Map.of(), "h"));
    assertTrue(help.usage().startsWith("Usage: node-agent"), help.usage());
    for (String flag : List.of("--state-dir", "--node-name", "$NODE_NAME", "--guest-cgroups", "--guest-cgroup-parent", "--metrics-port",
        "--network-check-interval", "--allowed-dir", "--keep-guests", "--help")) {
      assertTrue(help.usage().contains(flag), flag + " in\n" + help.usage());
    }
    assertEquals(help.usage(), AgentOptions.usage());
    assertThrows(HelpRequested.class, () -> parse("-h"));
  }
}
