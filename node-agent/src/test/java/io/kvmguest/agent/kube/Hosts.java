package io.kvmguest.agent.kube;

import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.host.VirtualizationFlag;
import java.nio.file.Path;
import java.util.Set;

/** Host facts for tests: a node like this project's machines (no usable KVM) and one with KVM. */
final class Hosts {
  static final long GIB = 1L << 30;

  private Hosts() {}

  static HostFacts withoutKvm() {
    return new HostFacts("GenuineIntel", VirtualizationFlag.NONE, "kvm_pvm", true, "6.1.0", true, true,
        Path.of("/usr/bin/qemu-system-x86_64"), "7.2.22", Set.of("virtio-net-pci", "e1000"), 8 * GIB, 6 * GIB, 4);
  }

  static HostFacts withKvm() {
    return new HostFacts("GenuineIntel", VirtualizationFlag.VMX, HostFacts.KVM_INTEL, true, "6.1.0", true, true,
        Path.of("/usr/bin/qemu-system-x86_64"), "7.2.22", Set.of("virtio-net-pci", "e1000"), 16 * GIB, 12 * GIB, 8);
  }
}
