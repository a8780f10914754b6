package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmguest.agent.exec.CommandRunner;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.host.Accelerator;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs builder argvs with the real qemu-system-x86_64 under TCG: qemu accepting the command line
 * (daemonized, pidfile, QMP socket) proves it valid for the installed qemu; QMP then shows the
 * devices, MACs, images and VNC it built. Plans start paused (-S) except the boot check. Every qemu
 * runs in a throwaway network namespace (taps, forwarded ports and VNC stay in it), under a
 * directory with a comma in its name, and is stopped by its pid.
 */
class QemuCommandIT {
  private static final String NETNS = "kvg-qemu-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  private static final CommandRunner HOST = LinuxCommandRunner.inRootNamespace();
  private static final CommandRunner IN_NETNS = new LinuxCommandRunner(Optional.of(NETNS));
  private static final String MAC = "00:16:3e:7e:57:01";

  private final QemuCommandBuilder builder = new QemuCommandBuilder(Path.of("/usr/bin/qemu-system-x86_64"));

  @TempDir
  Path temp;
  /** Every file qemu touches lives below a directory whose name has a comma. */
  private Path dir;

  @BeforeAll
  static void namespace() {
    Requirements.root();
    Requirements.binary("qemu-system-x86_64");
    Requirements.binary("qemu-img");
    Requirements.binary("ip");
    HOST.check("ip", "netns", "add", NETNS);
    IN_NETNS.check("ip", "link", "set", "lo", "up");
  }

  @AfterAll
  static void removeNamespace() {
    HOST.run(List.of("ip", "netns", "del", NETNS), Duration.ofSeconds(30));
  }

  @BeforeEach
  void directory() throws IOException {
    dir = Files.createDirectory(temp.resolve("run,dir"));
  }

  private LaunchPlan plan(List<DrivePlan> drives, List<NicPlan> nics, VncPlan vnc, BootPlan boot) {
    return new LaunchPlan("it-guest", Plans.UID, Accelerator.TCG, null, 1, 128, drives, boot, nics, vnc, Plans.paths(dir));
  }

  @ParameterizedTest
  @EnumSource(NicModel.class)
  void everyNicModelOnUserNetworking(NicModel model) throws IOException {
    NicPlan nic = new NicPlan("lan", model, MAC, new NicBackend.User("127.0.0.1", List.of(
        new NicBackend.PortForward(NicBackend.Protocol.TCP, 2222, 22),
        new NicBackend.PortForward(NicBackend.Protocol.UDP, 5353, 53))));
    try (LaunchedQemu qemu = LaunchedQemu.start(IN_NETNS, builder, plan(List.of(), List.of(nic), null, null), "-S");
        QmpTestClient qmp = qemu.qmp()) {
      assertEquals("prelaunch", qmp.execute("query-status", null).get("status").asText());
      assertEquals("child<" + model.qemuDevice() + ">", peripheralType(qmp, "nic-lan"));
      assertEquals(MAC, qomGet(qmp, "/machine/peripheral/nic-lan", "mac").asText());
      String network = qmp.execute("human-monitor-command", QmpTestClient.args().put("command-line", "info usernet")).asText();
      assertTrue(network.contains("2222") && network.contains("5353"), "host forwards: " + network);
    }
  }

  @Test
  void tapNicOpensTheNamedTapWithoutScripts() throws IOException {
    NicPlan nic = new NicPlan("lan", NicModel.VIRTIO, MAC, new NicBackend.Tap("kvgittap0"));
    try (LaunchedQemu qemu = LaunchedQemu.start(IN_NETNS, builder, plan(List.of(), List.of(nic), null, null), "-S");
        QmpTestClient qmp = qemu.qmp()) {
      assertEquals("child<virtio-net-pci>", peripheralType(qmp, "nic-lan"));
      assertTrue(IN_NETNS.run(List.of("ip", "link", "show", "kvgittap0"), Duration.ofSeconds(10)).ok(),
          "qemu opened tap kvgittap0 in the namespace it runs in");
    }
  }

  @ParameterizedTest
  @EnumSource(DiskBus.class)
  void everyDiskBusWithAQcow2OverlayAndACdrom(DiskBus bus) throws IOException {
    Path base = dir.resolve("base,image.raw");
    Path overlay = dir.resolve("root,overlay.qcow2");
    Path iso = dir.resolve("install,cd.iso");
    HOST.check("qemu-img", "create", "-q", "-f", "raw", base.toString(), "16M");
    // qemu-img's own -b takes the name verbatim; only option strings need the comma doubled.
    HOST.check("qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "raw", overlay.toString());
    Files.write(iso, new byte[2048 * 16]);
    List<DrivePlan> drives = List.of(
        new DrivePlan("root", DriveKind.DISK, overlay, ImageFormat.QCOW2, bus, 1, false),
        new DrivePlan("cd", DriveKind.CDROM, iso, ImageFormat.RAW, DiskBus.IDE, null, true));
    BootPlan boot = new BootPlan(List.of(BootDevice.DISK, BootDevice.CDROM), BootDevice.CDROM);

    try (LaunchedQemu qemu = LaunchedQemu.start(IN_NETNS, builder, plan(drives, List.of(), null, boot), "-S");
        QmpTestClient qmp = qemu.qmp()) {
      String device = switch (bus) {
        case VIRTIO -> "virtio-blk-pci";
        case IDE -> "ide-hd";
        case SCSI -> "scsi-hd";
      };
      assertEquals("child<" + device + ">", peripheralType(qmp, "disk-root"));
      assertEquals("child<ide-cd>", peripheralType(qmp, "cdrom-cd"));
      assertEquals(1, qomGet(qmp, "/machine/peripheral/disk-root", "bootindex").asInt());
      JsonNode root = block(qmp, "drive-root");
      assertEquals(overlay.toString(), root.get("inserted").get("file").asText(), "the comma path came back as one value");
      assertEquals("qcow2", root.get("inserted").get("drv").asText());
      assertFalse(root.get("inserted").get("ro").asBoolean());
      JsonNode cd = block(qmp, "drive-cd");
      assertTrue(cd.get("removable").asBoolean());
      assertTrue(cd.get("inserted").get("ro").asBoolean());
      assertEquals(iso.toString(), cd.get("inserted").get("file").asText());
    }
  }

  @Test
  void vncWithPasswordAndTheCommaPathsExist() throws IOException {
    try (LaunchedQemu qemu = LaunchedQemu.start(IN_NETNS, builder, plan(List.of(), List.of(), new VncPlan("127.0.0.1", 1, true), null), "-S");
        QmpTestClient qmp = qemu.qmp()) {
      JsonNode vnc = qmp.execute("query-vnc", null);
      assertTrue(vnc.get("enabled").asBoolean());
      assertEquals("5901", vnc.get("service").asText());
      assertEquals("vnc", vnc.get("auth").asText(), "password=on means VNC authentication");
      assertTrue(Files.isRegularFile(dir.resolve("serial.log")), "serial log at the exact comma path");
      assertTrue(Files.exists(dir.resolve("qmp.sock")));
      assertEquals(Long.toString(qemu.pid()), Files.readString(dir.resolve("qemu.pid")).strip());
    }
  }

  /**
   * Runs unpaused: the guest must boot from the tiny guest ISO (boot once: cdrom), print
   * KVMGUEST-BOOTED on the serial log and report its e1000 NIC with the planned MAC and a DHCP
   * lease from user networking.
   */
  @Test
  void runsUnpausedAndBootsTheTinyGuestWhenItIsBuilt() throws IOException, InterruptedException {
    Path iso = GuestImages.iso();
    NicPlan nic = new NicPlan("lan", NicModel.E1000, MAC, new NicBackend.User("127.0.0.1", List.of()));
    List<DrivePlan> drives = List.of(new DrivePlan("installer", DriveKind.CDROM, iso, ImageFormat.RAW, DiskBus.IDE, null, true));
    BootPlan boot = new BootPlan(List.of(BootDevice.DISK), BootDevice.CDROM);
    LaunchPlan plan = new LaunchPlan("it-guest", Plans.UID, Accelerator.TCG, null, 1, 256, drives, boot, List.of(nic), null, Plans.paths(dir));
    try (LaunchedQemu qemu = LaunchedQemu.start(IN_NETNS, builder, plan); QmpTestClient qmp = qemu.qmp()) {
      assertEquals("running", qmp.execute("query-status", null).get("status").asText());
      String log = waitForSerial(dir.resolve("serial.log"), "KVMGUEST-READY", Duration.ofSeconds(180));
      assertTrue(log.contains("KVMGUEST-BOOTED"), "guest did not boot from " + iso + "; serial log:\n" + log);
      // The guest sees the NIC model and MAC the argv asked for, and slirp's DHCP gave it a lease.
      String ready = log.lines().filter(l -> l.contains("KVMGUEST-READY")).findFirst().orElse("<none>");
      assertTrue(ready.contains("driver=e1000") && ready.contains("mac=" + MAC), ready);
    }
  }

  private static String waitForSerial(Path log, String marker, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    String text = "";
    while (Instant.now().isBefore(deadline)) {
      text = Files.exists(log) ? Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1) : "";
      if (text.contains(marker)) {
        return text;
      }
      Thread.sleep(500);
    }
    return text;
  }

  private static String peripheralType(QmpTestClient qmp, String id) throws IOException {
    for (JsonNode child : qmp.execute("qom-list", QmpTestClient.args().put("path", "/machine/peripheral"))) {
      if (child.get("name").asText().equals(id)) {
        return child.get("type").asText();
      }
    }
    throw new AssertionError("no device with id " + id + " under /machine/peripheral");
  }

  private static JsonNode qomGet(QmpTestClient qmp, String path, String property) throws IOException {
    return qmp.execute("qom-get", QmpTestClient.args().put("path", path).put("property", property));
  }

  private static JsonNode block(QmpTestClient qmp, String id) throws IOException {
    for (JsonNode device : qmp.execute("query-block", null)) {
      if (device.get("device").asText().equals(id)) {
        return device;
      }
    }
    throw new AssertionError("no block device " + id);
  }
}
