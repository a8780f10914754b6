package io.kvmguest.agent.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns a {@link LaunchPlan} into the qemu-system-x86_64 argument vector: pure, starts nothing.
 * One option value per element, no shell quoting; every value inside an option string is escaped
 * by {@link QemuOptionString}.
 *
 * <p>Choices worth knowing:
 * <ul>
 *   <li>{@code -machine pc} (i440fx), not q35: the guests this product targets include old
 *       installers (the seed installs SLES 10) whose kernels know PIIX IDE but not q35's AHCI, and
 *       the legacy NICs (ne2k_pci, pcnet, rtl8139) are plain PCI devices at home on i440fx.
 *       Consequence: IDE has 4 slots (2 channels x 2 units) for IDE disks and CD-ROMs together.
 *   <li>Drives are {@code -drive if=none} (explicit format, so no format probing; qemu picks the
 *       file or host_device protocol from the path) plus a {@code -device} carrying the bus and
 *       {@code bootindex}.
 *   <li>Boot: a drive's bootOrder becomes its {@code bootindex}; spec.boot becomes
 *       {@code -boot order=..,once=..} (disk=c, cdrom=d, network=n). Both are passed when both are
 *       set. qemu's documentation advises against mixing them because firmware may not support
 *       both; SeaBIOS (the pc machine's firmware) does: devices listed by bootindex come first, in
 *       bootindex order, then the remaining devices by the kind order of -boot. So per-device
 *       bootOrder takes precedence, as the API documents, and {@code once} only reorders devices
 *       without a bootOrder: a guest that wants "install from the CD-ROM once" should not also
 *       give its disk a bootOrder. There is no bootindex equivalent of once (qemu issue #1995).
 *   <li>Display: always {@code -display none} (no local window; {@code -nographic} cannot be
 *       combined with {@code -daemonize}). With VNC: {@code -vga std} and {@code -vnc}; without:
 *       {@code -vga none}.
 *   <li>Serial console and QMP go through {@code -chardev} so their paths are escapable option
 *       values ({@code -serial file:PATH} takes the rest of the string verbatim, commas included).
 *   <li>Taps use {@code vhost=off}: hosts without /dev/vhost-net make {@code vhost=on} abort.
 *   <li>User networking is {@code restrict=on}: no outbound traffic at all (a guest that needs it
 *       goes on a bridge), and forwarded ports listen on one configured address only.
 *   <li>{@code -sandbox} with the {@link #SANDBOX} options.
 * </ul>
 */
public final class QemuCommandBuilder {
  public static final String MACHINE = "pc";
  static final String SCSI_CONTROLLER_ID = "scsi0";
  static final String SERIAL_ID = "serial0";
  static final String QMP_ID = "qmp";
  /**
   * The strongest seccomp filter qemu 7.2 survives with {@code -daemonize}: it installs the filter
   * before forking, so {@code spawn=deny} kills the fork with SIGSYS and
   * {@code elevateprivileges=deny} (which also covers the daemon's setsid) makes it exit 1.
   * Still denied: obsolete system calls, and changing scheduling/CPU affinity of anything.
   */
  public static final String SANDBOX = "on,obsolete=deny,resourcecontrol=deny";

  private final Path qemuBinary;

  /** @param qemuBinary argv[0], for example /usr/bin/qemu-system-x86_64 */
  public QemuCommandBuilder(Path qemuBinary) {
    this.qemuBinary = qemuBinary;
  }

  public List<String> argv(LaunchPlan plan) {
    Args args = new Args(qemuBinary.toString());
    args.add("-name", QemuOptionString.keyed("guest", plan.guestName(), "guestName").on("debug-threads"));
    args.add("-uuid", plan.guestUid());
    // Only what the plan lists: no default NIC, CD-ROM, serial, monitor or VGA, no /etc/qemu config.
    args.add("-nodefaults");
    args.add("-no-user-config");
    args.add("-sandbox", SANDBOX);
    args.add("-machine", MACHINE);
    args.add("-accel", plan.accelerator().qemuName());
    if (plan.cpuModel() != null) {
      args.add("-cpu", QemuOptionString.escape("cpuModel", plan.cpuModel()));
    }
    args.add("-m", Long.toString(plan.memoryMiB()));
    args.add("-smp", Integer.toString(plan.cpus()));
    addDrives(args, plan.drives());
    addBoot(args, plan.boot());
    for (NicPlan nic : plan.nics()) {
      addNic(args, nic);
    }
    addDisplay(args, plan.vnc());
    addConsoles(args, plan.paths());
    return args.toList();
  }

  private static void addDrives(Args args, List<DrivePlan> drives) {
    if (drives.stream().anyMatch(d -> d.bus() == DiskBus.SCSI)) {
      args.add("-device", QemuOptionString.of("scsi controller", "virtio-scsi-pci").set("id", SCSI_CONTROLLER_ID));
    }
    for (DrivePlan drive : drives) {
      String field = "drive " + drive.name();
      String driveId = QemuOptionString.id(field + ": name", "drive-" + drive.name());
      QemuOptionString backend = QemuOptionString.keyed("if", "none", field)
          .set("id", driveId)
          .set("file", drive.path().toString(), field + ": path")
          .set("format", drive.format().qemuName());
      if (drive.readOnly()) {
        backend.on("readonly");
      }
      if (drive.kind() == DriveKind.CDROM) {
        backend.set("media", "cdrom");
      }
      args.add("-drive", backend);

      String prefix = drive.kind() == DriveKind.CDROM ? "cdrom-" : "disk-";
      QemuOptionString device = QemuOptionString.of(field, deviceDriver(drive))
          .set("drive", driveId)
          .set("id", QemuOptionString.id(field + ": name", prefix + drive.name()));
      if (drive.bus() == DiskBus.SCSI) {
        device.set("bus", SCSI_CONTROLLER_ID + ".0");
      }
      if (drive.bootOrder() != null) {
        device.set("bootindex", drive.bootOrder());
      }
      args.add("-device", device);
    }
  }

  private static String deviceDriver(DrivePlan drive) {
    return switch (drive.kind()) {
      case DISK -> switch (drive.bus()) {
        case VIRTIO -> "virtio-blk-pci";
        case IDE -> "ide-hd";
        case SCSI -> "scsi-hd";
      };
      case CDROM -> switch (drive.bus()) {
        case IDE -> "ide-cd";
        case SCSI -> "scsi-cd";
        case VIRTIO -> throw new IllegalArgumentException(
            "drive " + drive.name() + ": a CD-ROM cannot be on the virtio bus (virtio-blk has no removable media): use ide or scsi");
      };
    };
  }

  private static void addBoot(Args args, BootPlan boot) {
    if (boot == null || boot.isEmpty()) {
      return;
    }
    String order = boot.order().stream().map(d -> String.valueOf(d.letter())).collect(Collectors.joining());
    QemuOptionString option = order.isEmpty()
        ? QemuOptionString.keyed("once", String.valueOf(boot.once().letter()), "boot once")
        : QemuOptionString.keyed("order", order, "boot order");
    if (!order.isEmpty() && boot.once() != null) {
      option.set("once", String.valueOf(boot.once().letter()));
    }
    args.add("-boot", option);
  }

  private static void addNic(Args args, NicPlan nic) {
    String field = "interface " + nic.name();
    String netdevId = QemuOptionString.id(field + ": name", "net-" + nic.name());
    QemuOptionString netdev;
    if (nic.backend() instanceof NicBackend.Tap tap) {
      // script=no: the agent has already attached the tap to its bridge; qemu only opens it.
      netdev = QemuOptionString.of(field, "tap").set("id", netdevId)
          .set("ifname", tap.tapName(), field + ": tap name")
          .set("script", "no").set("downscript", "no").off("vhost");
    } else {
      NicBackend.User user = (NicBackend.User) nic.backend();
      // restrict=on: the guest reaches nothing outside slirp, in particular not 10.0.2.2, which
      // slirp maps to the node's loopback (kubelet, the standalone API). Forwards still come in.
      netdev = QemuOptionString.of(field, "user").set("id", netdevId).on("restrict");
      for (NicBackend.PortForward forward : user.portForwards()) {
        netdev.set("hostfwd", forward.protocol().qemuName() + ":" + hostAddress(user.forwardAddress()) + ":" + forward.hostPort()
            + "-:" + forward.guestPort());
      }
    }
    args.add("-netdev", netdev);
    args.add("-device", QemuOptionString.of(field, nic.model().qemuDevice())
        .set("netdev", netdevId)
        .set("mac", nic.mac(), field + ": mac")
        .set("id", QemuOptionString.id(field + ": name", "nic-" + nic.name())));
  }

  /** hostfwd's address field: an IPv6 literal in brackets, like the VNC listen address. */
  private static String hostAddress(String address) {
    return address.contains(":") ? "[" + address + "]" : address;
  }

  private static void addDisplay(Args args, VncPlan vnc) {
    args.add("-display", "none");
    if (vnc == null) {
      args.add("-vga", "none");
      return;
    }
    args.add("-vga", "std");
    String host = hostAddress(vnc.listenAddress());
    QemuOptionString option = QemuOptionString.of("vnc listen address", host + ":" + vnc.display());
    if (vnc.passwordRequired()) {
      // Clients are refused until the agent sets the password over QMP (set_password).
      option.on("password");
    }
    args.add("-vnc", option);
  }

  private static void addConsoles(Args args, RuntimePaths paths) {
    args.add("-chardev", QemuOptionString.of("serial", "file").set("id", SERIAL_ID)
        .set("path", paths.serialLog().toString(), "serialLog"));
    args.add("-serial", "chardev:" + SERIAL_ID);
    args.add("-chardev", QemuOptionString.of("qmp", "socket").set("id", QMP_ID)
        .set("path", paths.qmpSocket().toString(), "qmpSocket")
        .on("server").off("wait"));
    args.add("-mon", QemuOptionString.keyed("chardev", QMP_ID, "qmp").set("mode", "control"));
    args.add("-monitor", "none");
    // -pidfile takes its argument verbatim (no option syntax), so it is checked, not escaped.
    args.add("-pidfile", verbatim("pidFile", paths.pidFile().toString()));
    args.add("-daemonize");
  }

  /** A whole-argument value qemu does not parse: commas stay, but line breaks and NUL are refused all the same. */
  private static String verbatim(String field, String value) {
    QemuOptionString.escape(field, value);
    return value;
  }

  /** The growing argument vector. */
  private static final class Args {
    private final List<String> list = new ArrayList<>();

    Args(String program) {
      list.add(program);
    }

    void add(String option) {
      list.add(option);
    }

    void add(String option, String value) {
      list.add(option);
      list.add(value);
    }

    void add(String option, QemuOptionString value) {
      add(option, value.toString());
    }

    List<String> toList() {
      return List.copyOf(list);
    }
  }
}
