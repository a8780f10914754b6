package io.kvmguest.agent.host;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Loaded kernel modules, and which KVM vendor module is among them. /proc/modules lists loadable
 * modules only; built-in ones show up as /sys/module directories instead, so both are read.
 */
public final class KernelModules {
  private KernelModules() {}

  /** Module names from /proc/modules text (first column). */
  public static Set<String> parseProcModules(String procModules) {
    Set<String> names = new LinkedHashSet<>();
    for (String line : procModules.split("\n")) {
      String name = line.strip().split("\\s+", 2)[0];
      if (!name.isEmpty()) {
        names.add(name);
      }
    }
    return names;
  }

  /**
   * The KVM vendor module: kvm_intel or kvm_amd when loaded, else another kvm_* module (such as
   * kvm_pvm, which provides /dev/kvm without hardware virtualization), else "none". The core
   * module "kvm" alone does not count: it runs nothing without a vendor module.
   */
  public static String kvmModule(Collection<String> loaded) {
    if (loaded.contains(HostFacts.KVM_INTEL)) {
      return HostFacts.KVM_INTEL;
    }
    if (loaded.contains(HostFacts.KVM_AMD)) {
      return HostFacts.KVM_AMD;
    }
    return loaded.stream()
        .filter(name -> name.startsWith("kvm_"))
        .sorted()
        .findFirst()
        .orElse(HostFacts.NO_MODULE);
  }
}
