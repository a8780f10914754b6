package io.kvmguest.agent.qemu;

import io.kvmguest.agent.host.AcceleratorDecision;
import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.kvmguest.api.validation.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Combines a guest's spec with what the agent resolved on the host into a {@link LaunchPlan}. Pure:
 * every missing piece is an {@link IllegalArgumentException} naming it, nothing is looked up.
 */
public final class LaunchPlanner {
  private LaunchPlanner() {}

  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024);
  /** The pc machine's PIIX IDE controller: two channels, master and slave each. */
  static final int IDE_SLOTS = 4;

  public static LaunchPlan plan(
      VirtualGuestSpec spec,
      String guestName,
      String guestUid,
      AcceleratorDecision accelerator,
      ResolvedResources resources,
      RuntimePaths paths) {
    if (!(accelerator instanceof AcceleratorDecision.Use use)) {
      throw new IllegalArgumentException("guest " + guestName + " cannot be launched: "
          + ((AcceleratorDecision.Refused) accelerator).condition().message());
    }
    List<DrivePlan> drives = drives(spec, resources);
    long ide = drives.stream().filter(d -> d.bus() == DiskBus.IDE).count();
    if (ide > IDE_SLOTS) {
      throw new IllegalArgumentException("guest " + guestName + " needs " + ide + " IDE drives (ide disks and cdroms) but the pc machine has "
          + IDE_SLOTS + " IDE slots: put disks on virtio or scsi");
    }
    return new LaunchPlan(
        guestName,
        guestUid,
        use.accelerator(),
        use.cpuModel(),
        spec.cpus(),
        memoryMiB(spec),
        drives,
        boot(spec),
        nics(spec, resources),
        vnc(spec, resources),
        paths);
  }

  /** The memory quantity in MiB, rounded up: qemu's -m counts MiB, and a guest should not get less than asked. */
  static long memoryMiB(VirtualGuestSpec spec) {
    BigDecimal bytes = Quantities.bytes(spec.memory())
        .orElseThrow(() -> new IllegalArgumentException("spec.memory \"" + spec.memory() + "\" is not a quantity such as 512Mi"));
    return bytes.divide(MIB, 0, RoundingMode.CEILING).longValueExact();
  }

  private static List<DrivePlan> drives(VirtualGuestSpec spec, ResolvedResources resources) {
    List<DrivePlan> drives = new ArrayList<>();
    for (Disk disk : spec.disks()) {
      ResolvedImage image = image(resources, "disk", disk.name());
      drives.add(new DrivePlan(disk.name(), DriveKind.DISK, image.path(), image.format(),
          DiskBus.fromApi(disk.bus()), disk.bootOrder(), false));
    }
    for (Cdrom cdrom : spec.cdroms()) {
      ResolvedImage image = image(resources, "cdrom", cdrom.name());
      // CD-ROMs go on IDE: every guest's installer can boot from an ATAPI drive.
      drives.add(new DrivePlan(cdrom.name(), DriveKind.CDROM, image.path(), image.format(),
          DiskBus.IDE, cdrom.bootOrder(), true));
    }
    return drives;
  }

  private static ResolvedImage image(ResolvedResources resources, String kind, String name) {
    ResolvedImage image = resources.images().get(name);
    if (image == null) {
      throw new IllegalArgumentException(kind + " " + name + " has no resolved image: prepare it before planning the launch");
    }
    return image;
  }

  private static BootPlan boot(VirtualGuestSpec spec) {
    if (spec.boot() == null) {
      return null;
    }
    List<BootDevice> order = spec.boot().order().stream().map(BootDevice::fromApi).toList();
    BootDevice once = spec.boot().once() == null ? null : BootDevice.fromApi(spec.boot().once());
    BootPlan plan = new BootPlan(order, once);
    return plan.isEmpty() ? null : plan;
  }

  private static List<NicPlan> nics(VirtualGuestSpec spec, ResolvedResources resources) {
    List<NicPlan> nics = new ArrayList<>();
    for (NetworkInterface nic : spec.interfaces()) {
      String mac = resources.macs().getOrDefault(nic.name(), nic.macAddress());
      if (mac == null) {
        throw new IllegalArgumentException("interface " + nic.name() + " has no MAC address: the operator allocates one before launch");
      }
      nics.add(new NicPlan(nic.name(), NicModel.fromApi(nic.model()), mac, backend(nic, resources)));
    }
    return nics;
  }

  private static NicBackend backend(NetworkInterface nic, ResolvedResources resources) {
    if (nic.network() != null && nic.network().user() != null) {
      return new NicBackend.User(resources.portForwardAddress(), nic.network().user().portForwards().stream()
          .map(f -> new NicBackend.PortForward(NicBackend.Protocol.fromApi(f.protocol()), f.hostPort(), f.guestPort()))
          .toList());
    }
    String tap = resources.taps().get(nic.name());
    if (tap == null) {
      throw new IllegalArgumentException("interface " + nic.name() + " is on a bridge but has no tap: create its tap before planning the launch");
    }
    return new NicBackend.Tap(tap);
  }

  private static VncPlan vnc(VirtualGuestSpec spec, ResolvedResources resources) {
    if (spec.vnc() == null || !spec.vnc().enabled()) {
      return null;
    }
    VncEndpoint endpoint = resources.vnc().orElseThrow(
        () -> new IllegalArgumentException("VNC is enabled but no display was allocated: allocate one before planning the launch"));
    return new VncPlan(endpoint.listenAddress(), endpoint.display(), spec.vnc().passwordSecretRef() != null);
  }
}
