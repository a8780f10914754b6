package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.agent.testing.Requirements;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real guests through the agent's own code, inside a throwaway network namespace (NAT bridge,
 * dnsmasq, taps, qemu under TCG): each NIC model from ISO with boot once cdrom, one from a qcow2
 * overlay, all on one bridge; then restart, graceful stop and deletion, leaving nothing behind.
 */
class NodeAgentIT {
  private static final Duration BOOT = Duration.ofSeconds(240);
  private static final Map<String, String> DRIVER_OF_MODEL = Map.of("virtio", "virtio_net", "e1000", "e1000", "rtl8139", "8139cp");
  private static final Pattern READY = Pattern.compile("KVMGUEST-READY iface=eth0 driver=(\\S+) mac=(\\S+) ip=([0-9.]+)");

  @TempDir Path tmp;
  private NetnsFixture node;
  private AgentHarness h;
  private NodeAgent agent;
  private final LinuxProcessTable processes = new LinuxProcessTable();

  @BeforeEach
  void setUp() throws IOException {
    Requirements.guestHost();
    node = NetnsFixture.create("agent");
    h = new AgentHarness(tmp, node);
    agent = h.startAgent("it-node", "--stop-grace", "20");
  }

  @AfterEach
  void tearDown() {
    if (agent != null) {
      agent.close(false);
    }
    if (node != null) {
      node.close(); // ends, by pid, anything still running in the namespace (qemu, dnsmasq)
    }
  }

  static String isoGuest(String name, String model) {
    return """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s}
        spec:
          runStrategy: %s
          memory: 256Mi
          disks: [{name: root, image: {size: 64Mi}}]
          cdroms: [{name: cd, iso: {path: %s}}]
          boot: {order: [disk, cdrom], once: cdrom}
          interfaces: [{name: lan, model: %s}]
        """.formatted(name, "%s", GuestImages.iso(), model);
  }

  static String diskGuest(String name, String mac) {
    return """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s}
        spec:
          memory: 256Mi
          disks: [{name: root, bootOrder: 1, image: {format: qcow2, source: {path: %s}}}]
          interfaces: [{name: lan, model: virtio, macAddress: "%s"}]
        """.formatted(name, GuestImages.rawDisk(), mac);
  }

  @Test
  void guestsBootGetLeasesSeeEachOtherRestartStopAndLeaveNothingBehind() throws IOException {
    Map<String, String> models = Map.of("nic-virtio", "virtio", "nic-e1000", "e1000", "nic-rtl8139", "rtl8139");
    for (var e : models.entrySet()) {
      h.apply(e.getKey(), isoGuest(e.getKey(), e.getValue()).formatted("Always"));
    }
    h.apply("disk-overlay", diskGuest("disk-overlay", "00:16:3e:7a:00:01"));
    Map<String, String> expectedDriver = new HashMap<>();
    models.forEach((name, model) -> expectedDriver.put(name, DRIVER_OF_MODEL.get(model)));
    expectedDriver.put("disk-overlay", "virtio_net");

    Map<String, String> ips = new HashMap<>();
    for (String name : expectedDriver.keySet()) {
      VirtualGuestStatus status = h.awaitStatus(name, s -> "Running".equals(s.phase()) && !s.interfaces().isEmpty()
          && s.interfaces().get(0).ipAddress() != null, BOOT, "Running with an IP");
      InterfaceStatus nic = status.interfaces().get(0);
      Matcher ready = h.awaitSerial(name, READY, BOOT);
      assertEquals(expectedDriver.get(name), ready.group(1), name + ": guest driver");
      assertEquals(nic.macAddress(), ready.group(2), name + ": MAC seen by the guest");
      assertEquals(nic.ipAddress(), ready.group(3), name + ": IP in status = IP the guest leased");
      assertTrue(nic.ipAddress().startsWith("10.88.0."), nic.ipAddress());
      assertEquals("br0", nic.bridge());
      assertNotNull(nic.tap());
      assertEquals("tcg", status.accelerator(), "this host has no usable KVM");
      assertTrue(h.pings(nic.ipAddress()), name + " does not answer ping at " + nic.ipAddress());
      // the NIC throughput benchmark's guest end: the image's iperf3 server, reached over the guest's NIC
      assertTrue(Iperf3.mbps(h.node, nic.ipAddress(), 1, Iperf3.Direction.HOST_TO_GUEST) > 0, name + ": no TCP throughput");
      ips.put(name, nic.ipAddress());
    }
    assertEquals("00:16:3e:7a:00:01", h.status("disk-overlay").orElseThrow().interfaces().get(0).macAddress(), "spec MAC kept");

    for (String name : ips.keySet()) {
      Matcher peer = h.awaitSerial(name, Pattern.compile("KVMGUEST-PEER iface=eth0 ip=([0-9.]+)"), Duration.ofSeconds(90));
      assertTrue(ips.containsValue(peer.group(1)) && !peer.group(1).equals(ips.get(name)),
          name + " saw " + peer.group(1) + ", not another guest (" + ips + ")");
    }

    // runStrategy Always: a qemu that dies is started again
    GuestRecord before = record("nic-virtio");
    processes.signal(before.pid(), true);
    h.awaitStatus("nic-virtio", s -> "Running".equals(s.phase()) && recordPid("nic-virtio") > 0 && recordPid("nic-virtio") != before.pid(),
        Duration.ofSeconds(30), "restarted after qemu was killed");

    // annotation kvmguest.io/restart: a new value restarts the guest once
    GuestRecord rtl = record("nic-rtl8139");
    h.apply("nic-rtl8139", isoGuest("nic-rtl8139", "rtl8139").formatted("Always")
        .replace("metadata: {name: nic-rtl8139}", "metadata: {name: nic-rtl8139, annotations: {kvmguest.io/restart: r1}}"));
    h.awaitStatus("nic-rtl8139", s -> "Running".equals(s.phase()) && recordPid("nic-rtl8139") > 0 && recordPid("nic-rtl8139") != rtl.pid(),
        Duration.ofSeconds(60), "restarted on request");
    assertEquals("r1", record("nic-rtl8139").restartRequest());

    // runStrategy Halted: the guest is powered off through ACPI within the grace period
    GuestRecord e1000 = record("nic-e1000");
    long haltAt = System.nanoTime();
    h.apply("nic-e1000", isoGuest("nic-e1000", "e1000").formatted("Halted"));
    h.awaitStatus("nic-e1000", s -> "Stopped".equals(s.phase()), Duration.ofSeconds(40), "Stopped");
    long haltSeconds = Duration.ofNanos(System.nanoTime() - haltAt).toSeconds();
    assertTrue(h.serial("nic-e1000").contains("KVMGUEST-POWEROFF"), "the guest powered itself off (ACPI)");
    assertTrue(haltSeconds < 20, "power-off took " + haltSeconds + " s, grace is 20 s");
    assertFalse(processes.isOurs(e1000.pid(), e1000.pidFile()));
    assertFalse(h.links().contains(e1000.taps().get(0)), "a stopped guest's tap is removed");

    List<GuestRecord> records = new GuestRecordStore(h.stateDir).loadAll();
    for (String name : expectedDriver.keySet()) {
      h.delete(name);
    }
    for (String name : expectedDriver.keySet()) {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (h.status(name).isPresent() && System.nanoTime() < deadline) {
        AgentHarness.sleep(250);
      }
      assertTrue(h.status(name).isEmpty(), name + ": status still there after delete");
    }
    for (GuestRecord r : records) {
      assertFalse(processes.isOurs(r.pid(), r.pidFile()), r.name() + ": qemu still running after delete");
    }
    assertFalse(h.links().contains(" kvg"), "taps left behind:\n" + h.links());
    assertEquals(List.of(), new GuestRecordStore(h.stateDir).loadAll(), "guest records left behind");
    assertEquals(List.of(), children(h.stateDir.resolve("guests")), "disk images left behind");
  }

  private GuestRecord record(String name) {
    return new GuestRecordStore(h.stateDir).load(AgentHarness.uid(name)).orElseThrow(() -> new AssertionError("no record for " + name));
  }

  private long recordPid(String name) {
    return new GuestRecordStore(h.stateDir).load(AgentHarness.uid(name)).map(GuestRecord::pid).orElse(-1L);
  }

  private static List<String> children(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return new ArrayList<>(list.map(p -> p.getFileName().toString()).toList());
    }
  }
}
