package io.kvmguest.agent.qemu;

import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.host.VirtualizationFlag;
import java.nio.file.Path;
import java.util.Set;

/** Host facts the golden cases run against, named by a case's "# golden-host:" line. */
final class GoldenHosts {
  private GoldenHosts() {}

  private static final Set<String> NICS = Set.of("virtio-net-pci", "e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", "i82559er");
  private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");

  /** Like this project's machines: /dev/kvm is kvm_pvm on a CPU without vmx/svm, no vhost-net. */
  static final HostFacts TCG_ONLY = new HostFacts("AuthenticAMD", VirtualizationFlag.NONE, "kvm_pvm", true,
      "6.18.44", false, true, QEMU, "7.2.22", NICS, 24L << 30, 23L << 30, 2);

  static final HostFacts KVM_INTEL = new HostFacts("GenuineIntel", VirtualizationFlag.VMX, "kvm_intel", true,
      "6.1.0-18-amd64", true, true, QEMU, "7.2.22", NICS, 64L << 30, 60L << 30, 16);

  static HostFacts named(String name) {
    return switch (name) {
      case "tcg-only" -> TCG_ONLY;
      case "kvm-intel" -> KVM_INTEL;
      default -> throw new IllegalArgumentException("unknown golden-host \"" + name + "\": use tcg-only or kvm-intel");
    };
  }
}
