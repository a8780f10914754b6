package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.host.Accelerator;
import io.kvmguest.agent.host.AcceleratorCondition;
import io.kvmguest.agent.host.AcceleratorDecision;
import io.kvmguest.api.v1alpha1.Boot;
import io.kvmguest.api.v1alpha1.BridgeNetwork;
import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.DiskImage;
import io.kvmguest.api.v1alpha1.ImageSource;
import io.kvmguest.api.v1alpha1.Network;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.PortForward;
import io.kvmguest.api.v1alpha1.SecretKeyRef;
import io.kvmguest.api.v1alpha1.UserNetwork;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.kvmguest.api.v1alpha1.Vnc;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchPlannerTest {
  static final AcceleratorDecision TCG = new AcceleratorDecision.Use(Accelerator.TCG, null, Optional.empty());
  static final RuntimePaths PATHS = Plans.paths(Path.of("/run/g"));

  static VirtualGuestSpec spec(String memory, List<Disk> disks, List<Cdrom> cdroms, Boot boot, List<NetworkInterface> nics, Vnc vnc) {
    return new VirtualGuestSpec(null, 2, new Quantity(memory), null, null, disks, cdroms, boot, nics, vnc);
  }

  static Disk disk(String name, String bus, Integer bootOrder) {
    return new Disk(name, bus, bootOrder, new DiskImage(new Quantity("1Gi"), "qcow2", null), null);
  }

  static ResolvedResources images(String... names) {
    Map<String, ResolvedImage> images = new java.util.HashMap<>();
    for (String name : names) {
      images.put(name, new ResolvedImage(Path.of("/s/" + name), ImageFormat.QCOW2));
    }
    return new ResolvedResources(images, Map.of(), Map.of(), Optional.empty(), "127.0.0.1");
  }

  @ParameterizedTest
  @CsvSource({"512Mi, 512", "4Gi, 4096", "1G, 954", "1000Mi, 1000", "1M, 1", "1537Ki, 2"})
  void memoryRoundsUpToMiB(String quantity, long mib) {
    assertEquals(mib, LaunchPlanner.memoryMiB(spec(quantity, List.of(), List.of(), null, List.of(), null)));
  }

  @Test
  void drivesKeepSpecOrderDisksThenCdroms() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", 2), disk("data", "scsi", null)),
        List.of(new Cdrom("iso", new ImageSource("/isos/a.iso", null), 1)), new Boot(List.of("disk", "cdrom"), "cdrom"), List.of(), null);

    LaunchPlan plan = LaunchPlanner.plan(spec, "g", Plans.UID, TCG, images("root", "data", "iso"), PATHS);

    assertEquals(List.of(
        new DrivePlan("root", DriveKind.DISK, Path.of("/s/root"), ImageFormat.QCOW2, DiskBus.VIRTIO, 2, false),
        new DrivePlan("data", DriveKind.DISK, Path.of("/s/data"), ImageFormat.QCOW2, DiskBus.SCSI, null, false),
        new DrivePlan("iso", DriveKind.CDROM, Path.of("/s/iso"), ImageFormat.QCOW2, DiskBus.IDE, 1, true)), plan.drives());
    assertEquals(new BootPlan(List.of(BootDevice.DISK, BootDevice.CDROM), BootDevice.CDROM), plan.boot());
    assertEquals(1024, plan.memoryMiB());
    assertEquals(2, plan.cpus());
  }

  @Test
  void nicsGetResolvedMacsTapsAndForwards() {
    NetworkInterface lan = new NetworkInterface("lan", "e1000", null, new Network(new BridgeNetwork("br0"), null));
    NetworkInterface up = new NetworkInterface("up", "rtl8139", "00:16:3e:00:00:09",
        new Network(null, new UserNetwork(List.of(new PortForward(null, 2222, 22), new PortForward("UDP", 53, 53)))));
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(lan, up), null);
    ResolvedResources resources = new ResolvedResources(images("root").images(),
        Map.of("lan", "00:16:3e:aa:00:01"), Map.of("lan", "kvgtap0"), Optional.empty(), "192.0.2.7");

    LaunchPlan plan = LaunchPlanner.plan(spec, "g", Plans.UID, TCG, resources, PATHS);

    assertEquals(List.of(
        new NicPlan("lan", NicModel.E1000, "00:16:3e:aa:00:01", new NicBackend.Tap("kvgtap0")),
        new NicPlan("up", NicModel.RTL8139, "00:16:3e:00:00:09", new NicBackend.User("192.0.2.7", List.of(
            new NicBackend.PortForward(NicBackend.Protocol.TCP, 2222, 22),
            new NicBackend.PortForward(NicBackend.Protocol.UDP, 53, 53))))), plan.nics());
    assertNull(plan.boot());
    assertNull(plan.vnc());
  }

  @Test
  void vncPasswordRequiredWhenASecretIsReferenced() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(),
        new Vnc(true, new SecretKeyRef("s", null)));
    ResolvedResources resources = new ResolvedResources(images("root").images(), Map.of(), Map.of(),
        Optional.of(new VncEndpoint("0.0.0.0", 3)), "127.0.0.1");
    assertEquals(new VncPlan("0.0.0.0", 3, true), LaunchPlanner.plan(spec, "g", Plans.UID, TCG, resources, PATHS).vnc());
  }

  @Test
  void consoleBeyondLoopbackWithoutPasswordIsRefusedNamingTheField() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(), new Vnc(true, null));
    ResolvedResources open = new ResolvedResources(images("root").images(), Map.of(), Map.of(),
        Optional.of(new VncEndpoint("0.0.0.0", 3)), "127.0.0.1");
    assertMessage("spec.vnc.passwordSecretRef is required: this node's VNC consoles listen on 0.0.0.0",
        () -> LaunchPlanner.plan(spec, "g", Plans.UID, TCG, open, PATHS));

    ResolvedResources loopback = new ResolvedResources(images("root").images(), Map.of(), Map.of(),
        Optional.of(new VncEndpoint("127.0.0.1", 3)), "127.0.0.1");
    assertEquals(new VncPlan("127.0.0.1", 3, false), LaunchPlanner.plan(spec, "g", Plans.UID, TCG, loopback, PATHS).vnc());
  }

  @Test
  void kvmDecisionCarriesCpuModel() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(), null);
    LaunchPlan plan = LaunchPlanner.plan(spec, "g", Plans.UID,
        new AcceleratorDecision.Use(Accelerator.KVM, "host", Optional.empty()), images("root"), PATHS);
    assertEquals(Accelerator.KVM, plan.accelerator());
    assertEquals("host", plan.cpuModel());
  }

  @Test
  void missingPiecesAreNamed() {
    VirtualGuestSpec noImage = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(), null);
    assertMessage("disk root has no resolved image", () -> LaunchPlanner.plan(noImage, "g", Plans.UID, TCG, images(), PATHS));

    NetworkInterface lan = new NetworkInterface("lan", "virtio", "00:16:3e:00:00:01", null);
    VirtualGuestSpec bridged = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(lan), null);
    assertMessage("interface lan is on a bridge but has no tap", () -> LaunchPlanner.plan(bridged, "g", Plans.UID, TCG, images("root"), PATHS));

    NetworkInterface noMac = new NetworkInterface("lan", "virtio", null, null);
    VirtualGuestSpec unallocated = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(noMac), null);
    assertMessage("interface lan has no MAC address", () -> LaunchPlanner.plan(unallocated, "g", Plans.UID, TCG,
        new ResolvedResources(images("root").images(), Map.of(), Map.of("lan", "t0"), Optional.empty(), "127.0.0.1"), PATHS));

    VirtualGuestSpec vnc = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(), new Vnc(true, null));
    assertMessage("no display was allocated", () -> LaunchPlanner.plan(vnc, "g", Plans.UID, TCG, images("root"), PATHS));
  }

  @Test
  void refusedAcceleratorCannotBePlanned() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "virtio", null)), List.of(), null, List.of(), null);
    AcceleratorDecision refused = new AcceleratorDecision.Refused(new AcceleratorCondition(
        AcceleratorCondition.KVM_UNAVAILABLE, "KvmUnavailable", "no vmx/svm flag in /proc/cpuinfo"));
    assertMessage("no vmx/svm flag", () -> LaunchPlanner.plan(spec, "g", Plans.UID, refused, images("root"), PATHS));
  }

  @Test
  void moreThanFourIdeDrivesDoNotFitThePcMachine() {
    VirtualGuestSpec spec = spec("1Gi",
        List.of(disk("a", "ide", null), disk("b", "ide", null), disk("c", "ide", null)),
        List.of(new Cdrom("d", new ImageSource("/x.iso", null), null), new Cdrom("e", new ImageSource("/y.iso", null), null)),
        null, List.of(), null);
    assertMessage("needs 5 IDE drives", () -> LaunchPlanner.plan(spec, "g", Plans.UID, TCG, images("a", "b", "c", "d", "e"), PATHS));
  }

  @Test
  void unknownEnumValuesListTheAllowedOnes() {
    VirtualGuestSpec spec = spec("1Gi", List.of(disk("root", "sata", null)), List.of(), null, List.of(), null);
    assertMessage("use virtio, ide or scsi", () -> LaunchPlanner.plan(spec, "g", Plans.UID, TCG, images("root"), PATHS));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable action) {
    var e = assertThrows(IllegalArgumentException.class, action);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
