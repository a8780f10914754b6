package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Properties of the argv that hold for every plan; the goldens pin whole command lines. */
class QemuCommandBuilderTest {
  private final QemuCommandBuilder builder = new QemuCommandBuilder(Path.of("/usr/bin/qemu-system-x86_64"));

  /** The value following {@code option} (first occurrence). */
  static String after(List<String> argv, String option) {
    int i = argv.indexOf(option);
    assertTrue(i >= 0 && i + 1 < argv.size(), option + " missing from " + argv);
    return argv.get(i + 1);
  }

  @Test
  void argvIsImmutableAndStartsWithTheBinary() {
    List<String> argv = builder.argv(Plans.minimal());
    assertEquals("/usr/bin/qemu-system-x86_64", argv.get(0));
    assertThrows(UnsupportedOperationException.class, () -> argv.add("-S"));
  }

  @Test
  void daemonizesWithoutNographic() {
    List<String> argv = builder.argv(Plans.minimal());
    assertTrue(argv.contains("-daemonize"));
    assertFalse(argv.contains("-nographic"), "-nographic cannot be combined with -daemonize");
    assertEquals("none", after(argv, "-display"));
    assertEquals("none", after(argv, "-monitor"));
    assertEquals("none", after(argv, "-vga"));
    assertTrue(argv.contains("-nodefaults"));
  }

  @Test
  void noNicMeansNoNetworkOptionsAtAll() {
    List<String> argv = builder.argv(Plans.minimal());
    assertFalse(argv.contains("-netdev"));
    assertFalse(argv.contains("-net"));
    assertFalse(argv.contains("-device"), argv.toString());
  }

  @ParameterizedTest
  @EnumSource(NicModel.class)
  void everyNicModelMapsToItsDevice(NicModel model) {
    List<String> argv = builder.argv(Plans.plan(List.of(), List.of(Plans.userNic("lan", model, "00:16:3e:00:00:01")), null, null, Path.of("/r")));
    assertEquals(model.qemuDevice() + ",netdev=net-lan,mac=00:16:3e:00:00:01,id=nic-lan", after(argv, "-device"));
  }

  @Test
  void nicDeviceNamesAreTheOnesQemuKnows() {
    assertEquals(List.of("virtio-net-pci", "e1000", "rtl8139", "e1000e", "ne2k_pci", "pcnet", "i82559er"),
        java.util.Arrays.stream(NicModel.values()).map(NicModel::qemuDevice).toList());
  }

  @Test
  void tapNetdevNeverRunsScriptsNorVhost() {
    NicPlan nic = new NicPlan("lan", NicModel.VIRTIO, "00:16:3E:00:00:01", new NicBackend.Tap("kvg0"));
    List<String> argv = builder.argv(Plans.plan(List.of(), List.of(nic), null, null, Path.of("/r")));
    assertEquals("tap,id=net-lan,ifname=kvg0,script=no,downscript=no,vhost=off", after(argv, "-netdev"));
    assertTrue(after(argv, "-device").contains("mac=00:16:3e:00:00:01"), "MAC normalized to lower case");
  }

  @Test
  void vncWithPasswordOnIpv6IsBracketed() {
    List<String> argv = builder.argv(Plans.plan(List.of(), List.of(), new VncPlan("::", 7, true), null, Path.of("/r")));
    assertEquals("[::]:7,password=on", after(argv, "-vnc"));
    assertEquals("std", after(argv, "-vga"));
  }

  @Test
  void vncAddressMustBeAnIpLiteral() {
    var e = assertThrows(IllegalArgumentException.class, () -> new VncPlan("0.0.0.0,share=ignore", 1, false));
    assertTrue(e.getMessage().contains("vnc listenAddress"), e.getMessage());
  }

  @Test
  void bootOnceAloneAndNothingWhenEmpty() {
    Path r = Path.of("/r");
    assertEquals("once=d", after(builder.argv(Plans.plan(List.of(), List.of(), null, new BootPlan(List.of(), BootDevice.CDROM), r)), "-boot"));
    assertEquals("order=ndc", after(builder.argv(Plans.plan(List.of(), List.of(), null,
        new BootPlan(List.of(BootDevice.NETWORK, BootDevice.CDROM, BootDevice.DISK), null), r)), "-boot"));
    assertFalse(builder.argv(Plans.plan(List.of(), List.of(), null, new BootPlan(List.of(), null), r)).contains("-boot"));
  }

  @Test
  void oneScsiControllerForAllScsiDisks() {
    List<DrivePlan> drives = List.of(
        new DrivePlan("a", DriveKind.DISK, Path.of("/d/a.raw"), ImageFormat.RAW, DiskBus.SCSI, null, false),
        new DrivePlan("b", DriveKind.DISK, Path.of("/d/b.raw"), ImageFormat.RAW, DiskBus.SCSI, 2, false));
    List<String> argv = builder.argv(Plans.plan(drives, List.of(), null, null, Path.of("/r")));
    assertEquals(1, Collections.frequency(argv, "virtio-scsi-pci,id=scsi0"));
    assertTrue(argv.contains("scsi-hd,drive=drive-b,id=disk-b,bus=scsi0.0,bootindex=2"), argv.toString());
  }

  @Test
  void cdromIsReadOnlyMedia() {
    DrivePlan cd = new DrivePlan("iso", DriveKind.CDROM, Path.of("/i/x.iso"), ImageFormat.RAW, DiskBus.IDE, 1, true);
    List<String> argv = builder.argv(Plans.plan(List.of(cd), List.of(), null, null, Path.of("/r")));
    assertEquals("if=none,id=drive-iso,file=/i/x.iso,format=raw,readonly=on,media=cdrom", after(argv, "-drive"));
    assertEquals("ide-cd,drive=drive-iso,id=cdrom-iso,bootindex=1", after(argv, "-device"));
  }

  @Test
  void cdromOnVirtioIsRefusedSayingWhatIsAllowed() {
    DrivePlan cd = new DrivePlan("iso", DriveKind.CDROM, Path.of("/i/x.iso"), ImageFormat.RAW, DiskBus.VIRTIO, null, true);
    var e = assertThrows(IllegalArgumentException.class, () -> builder.argv(Plans.plan(List.of(cd), List.of(), null, null, Path.of("/r"))));
    assertTrue(e.getMessage().contains("drive iso") && e.getMessage().contains("use ide or scsi"), e.getMessage());
  }

  @Test
  void newlineInAPathIsRefusedNamingTheDrive() {
    DrivePlan disk = new DrivePlan("root", DriveKind.DISK, Path.of("/d/evil\nname.qcow2"), ImageFormat.QCOW2, DiskBus.VIRTIO, null, false);
    var e = assertThrows(IllegalArgumentException.class, () -> builder.argv(Plans.plan(List.of(disk), List.of(), null, null, Path.of("/r"))));
    assertTrue(e.getMessage().startsWith("drive root: path contains a line break"), e.getMessage());
  }

  @Test
  void newlineInThePidfileIsRefusedThoughItIsNotEscaped() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> builder.argv(Plans.plan(List.of(), List.of(), null, null, Path.of("/r/a\nb"))));
    assertTrue(e.getMessage().contains("contains a line break"), e.getMessage());
  }

  @Test
  void pidfileKeepsItsCommaBecauseQemuTakesItVerbatim() {
    List<String> argv = builder.argv(Plans.plan(List.of(), List.of(), null, null, Path.of("/r,x")));
    assertEquals("/r,x/qemu.pid", after(argv, "-pidfile"));
    assertEquals("/r,x/serial.log", QemuOptsModel.value(argv.get(argv.indexOf("-chardev") + 1), "path"));
  }

  @Test
  void kvmPlanCarriesTheCpuModel() {
    LaunchPlan plan = new LaunchPlan("g", Plans.UID, io.kvmguest.agent.host.Accelerator.KVM, "host", 2, 1024,
        List.of(), null, List.of(), null, Plans.paths(Path.of("/r")));
    List<String> argv = builder.argv(plan);
    assertEquals("kvm", after(argv, "-accel"));
    assertEquals("host", after(argv, "-cpu"));
    assertEquals("1024", after(argv, "-m"));
    assertEquals("2", after(argv, "-smp"));
  }

  @Test
  void tcgPlanWithoutCpuModelLeavesQemuDefault() {
    assertFalse(builder.argv(Plans.minimal()).contains("-cpu"));
  }

  @Test
  void planRejectsDuplicatesAndBadValues() {
    DrivePlan a = new DrivePlan("a", DriveKind.DISK, Path.of("/a"), ImageFormat.RAW, DiskBus.IDE, 1, false);
    DrivePlan b = new DrivePlan("b", DriveKind.DISK, Path.of("/b"), ImageFormat.RAW, DiskBus.IDE, 1, false);
    var e = assertThrows(IllegalArgumentException.class, () -> Plans.plan(List.of(a, b), List.of(), null, null, Path.of("/r")));
    assertTrue(e.getMessage().contains("bootOrder 1 appears twice"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Plans.userNic("lan", NicModel.E1000, "01:00:5e:00:00:01"));
    assertThrows(IllegalArgumentException.class, () -> new RuntimePaths(Path.of("q.sock"), Path.of("/p"), Path.of("/s")));
    var uid = assertThrows(IllegalArgumentException.class, () -> new LaunchPlan("g", "not-a-uuid", io.kvmguest.agent.host.Accelerator.TCG,
        null, 1, 64, List.of(), null, List.of(), null, Plans.paths(Path.of("/r"))));
    assertTrue(uid.getMessage().contains("guestUid"), uid.getMessage());
  }

  @Test
  void qmpSocketPathLongerThanAUnixSocketAddressIsRefused() {
    Path deep = Path.of("/" + "d".repeat(110));
    var e = assertThrows(IllegalArgumentException.class, () -> Plans.paths(deep));
    assertTrue(e.getMessage().contains("Unix socket"), e.getMessage());
  }
}
