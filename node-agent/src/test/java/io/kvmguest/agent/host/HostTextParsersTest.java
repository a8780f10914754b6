package io.kvmguest.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parsers against texts captured from real hosts (golden/host/). */
class HostTextParsersTest {

  @ParameterizedTest
  @CsvSource({
      "cpuinfo-intel-xeon-vmx.txt,      GenuineIntel, VMX,  2",
      "cpuinfo-amd-epyc-svm.txt,        AuthenticAMD, SVM,  1",
      "cpuinfo-amd-epyc-pvm-nested.txt, AuthenticAMD, NONE, 2",
  })
  void cpuinfoVendorFlagAndCount(String sample, String vendor, VirtualizationFlag flag, int cpus) {
    assertEquals(new CpuInfo(vendor, flag, cpus), CpuInfoParser.parse(Samples.read(sample)));
  }

  @Test
  void vmxFlagsLineIsNotMistakenForTheFlagsLine() {
    // Intel kernels print a separate "vmx flags" line; a CPU without vmx in "flags" has no VT-x.
    String text = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2\nvmx flags\t: vnmi ept\n";
    assertEquals(VirtualizationFlag.NONE, CpuInfoParser.parse(text).flag());
  }

  @Test
  void emptyCpuinfoMeansNothingKnown() {
    assertEquals(new CpuInfo("", VirtualizationFlag.NONE, 0), CpuInfoParser.parse(""));
  }

  @Test
  void procModulesNamesAndVendorModule() {
    Set<String> loaded = KernelModules.parseProcModules(Samples.read("modules-kvm-intel.txt"));
    assertTrue(loaded.containsAll(Set.of("kvm_intel", "kvm", "vhost_net", "tun")));
    assertEquals("kvm_intel", KernelModules.kvmModule(loaded));
    assertEquals("none", KernelModules.kvmModule(KernelModules.parseProcModules(Samples.read("modules-no-kvm.txt"))));
  }

  @Test
  void vendorModulePreference() {
    assertEquals("kvm_amd", KernelModules.kvmModule(Set.of("kvm", "kvm_amd")));
    assertEquals("kvm_pvm", KernelModules.kvmModule(Set.of("kvm", "kvm_pvm")), "other kvm_* modules are reported as such");
    assertEquals("none", KernelModules.kvmModule(Set.of("kvm")), "the core module alone runs nothing");
  }

  @Test
  void meminfoInBytes() {
    MemInfo memory = MemInfoParser.parse(Samples.read("meminfo-debian12.txt"));
    assertEquals(24683656L * 1024, memory.totalBytes());
    assertEquals(24179756L * 1024, memory.availableBytes());
  }

  @Test
  void meminfoWithoutMemAvailableEstimatesIt() {
    MemInfo memory = MemInfoParser.parse("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n");
    assertEquals(310L * 1024, memory.availableBytes());
  }

  @Test
  void meminfoWithoutTotalIsAnError() {
    var e = assertThrows(IllegalArgumentException.class, () -> MemInfoParser.parse("MemFree: 1 kB\n"));
    assertTrue(e.getMessage().contains("MemTotal"));
  }

  @ParameterizedTest
  @CsvSource({
      "qemu-version-debian-7.2.txt, 7.2.22",
      "qemu-version-ubuntu-8.2.txt, 8.2.2",
      "qemu-version-ubuntu-2.0.txt, 2.0.0",
  })
  void qemuVersion(String sample, String version) {
    assertEquals(Optional.of(version), QemuVersionParser.parse(Samples.read(sample)));
  }

  @Test
  void qemuVersionAbsentFromOtherOutput() {
    assertEquals(Optional.empty(), QemuVersionParser.parse("qemu-system-x86_64: command not found"));
  }

  @Test
  void networkDevicesOnlyFromTheirSection() {
    Set<String> nics = QemuDeviceHelpParser.networkDevices(Samples.read("qemu-device-help-7.2.txt"));
    assertTrue(nics.containsAll(Set.of("virtio-net-pci", "e1000", "e1000e", "rtl8139", "ne2k_pci", "pcnet", "i82559er")), nics.toString());
    assertFalse(nics.contains("virtio-blk-pci"), "a storage device is not a NIC");
    assertFalse(nics.contains("usb-kbd"), "an input device is not a NIC");
    assertEquals(30, nics.size(), nics.toString());
  }
}
