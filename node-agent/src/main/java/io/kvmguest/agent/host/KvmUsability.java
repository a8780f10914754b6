package io.kvmguest.agent.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether the node can run KVM guests. /dev/kvm alone is not enough: a node can expose it through a
 * paravirtual hypervisor (kvm_pvm) without vmx/svm, and stock guests then crash. All three of the
 * CPU flag, a hardware vendor module and a usable /dev/kvm are required.
 */
public final class KvmUsability {
  private KvmUsability() {}

  /** What keeps KVM from being usable, in check order; empty when it is usable. */
  public static List<String> problems(HostFacts facts) {
    List<String> problems = new ArrayList<>();
    if (facts.virtualizationFlag() == VirtualizationFlag.NONE) {
      problems.add("no vmx/svm flag in /proc/cpuinfo");
    }
    if (!facts.hardwareKvmModule()) {
      String found = HostFacts.NO_MODULE.equals(facts.kvmModule()) ? "" : " (found " + facts.kvmModule() + ")";
      problems.add("kvm_intel/kvm_amd not loaded" + found);
    }
    if (!facts.devKvmUsable()) {
      problems.add("/dev/kvm cannot be opened");
    }
    return List.copyOf(problems);
  }

  public static boolean usable(HostFacts facts) {
    return problems(facts).isEmpty();
  }
}
