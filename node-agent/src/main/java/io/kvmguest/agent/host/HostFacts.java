package io.kvmguest.agent.host;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the node can do, read once from the host and then handled as a plain value: the accelerator
 * decision and the launch planning are pure functions of it.
 *
 * @param cpuVendor vendor_id from /proc/cpuinfo, for example GenuineIntel or AuthenticAMD ("" if unknown)
 * @param virtualizationFlag vmx, svm or none, from the cpuinfo flags
 * @param kvmModule loaded KVM vendor module: {@value #KVM_INTEL}, {@value #KVM_AMD}, another one such
 *     as kvm_pvm, or {@value #NO_MODULE}
 * @param devKvmUsable whether /dev/kvm opens read-write
 * @param kernelVersion the running kernel's release (/proc/sys/kernel/osrelease)
 * @param vhostNet whether /dev/vhost-net exists
 * @param netTun whether /dev/net/tun exists (needed for taps)
 * @param qemuBinary the qemu-system-x86_64 found, or null when qemu is not installed
 * @param qemuVersion its version such as 7.2.22, or null when unknown
 * @param supportedNicModels qemu device names from the "Network devices:" section of -device help
 * @param memoryTotalBytes MemTotal
 * @param memoryAvailableBytes MemAvailable
 * @param cpus logical processors
 */
public record HostFacts(
    String cpuVendor,
    VirtualizationFlag virtualizationFlag,
    String kvmModule,
    boolean devKvmUsable,
    String kernelVersion,
    boolean vhostNet,
    boolean netTun,
    Path qemuBinary,
    String qemuVersion,
    Set<String> supportedNicModels,
    long memoryTotalBytes,
    long memoryAvailableBytes,
    int cpus) {

  public static final String KVM_INTEL = "kvm_intel";
  public static final String KVM_AMD = "kvm_amd";
  public static final String NO_MODULE = "none";

  public HostFacts {
    cpuVendor = Objects.requireNonNullElse(cpuVendor, "");
    Objects.requireNonNull(virtualizationFlag, "virtualizationFlag");
    kvmModule = Objects.requireNonNullElse(kvmModule, NO_MODULE);
    kernelVersion = Objects.requireNonNullElse(kernelVersion, "");
    // Sorted, so that the facts print and compare the same way every time.
    supportedNicModels = supportedNicModels == null
        ? Set.of()
        : Collections.unmodifiableSet(new TreeSet<>(supportedNicModels));
  }

  /** The same facts with another qemu binary (a stand-in that the probe did not find). */
  public HostFacts withQemuBinary(Path binary) {
    return new HostFacts(cpuVendor, virtualizationFlag, kvmModule, devKvmUsable, kernelVersion, vhostNet, netTun, binary, qemuVersion,
        supportedNicModels, memoryTotalBytes, memoryAvailableBytes, cpus);
  }

  /** Whether the loaded KVM module is one that runs stock guests (not e.g. kvm_pvm). */
  public boolean hardwareKvmModule() {
    return KVM_INTEL.equals(kvmModule) || KVM_AMD.equals(kvmModule);
  }

  public boolean hasQemu() {
    return qemuBinary != null;
  }

  /** Memory guests may be given here: all of it less what the host keeps ({@code --reserve-memory}). */
  public long allocatableMemoryBytes(long reserveMemoryBytes) {
    return Math.max(0, memoryTotalBytes - reserveMemoryBytes);
  }
}
