package io.kvmguest.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The probe assembles facts from fake files and a fake qemu. */
class HostFactsProbeTest {
  static final String QEMU = "/usr/bin/qemu-system-x86_64";

  private final FakeCommandRunner runner = new FakeCommandRunner()
      .answer(List.of(QEMU, "-version"), Samples.read("qemu-version-debian-7.2.txt"))
      .answer(List.of(QEMU, "-device", "help"), Samples.read("qemu-device-help-7.2.txt"));

  private HostFactsProbe probe(FakeHostFiles files) {
    return new HostFactsProbe(files, runner, HostFactsProbe.defaultQemuCandidates());
  }

  @Test
  void intelKvmNode() {
    FakeHostFiles files = new FakeHostFiles()
        .file("/proc/cpuinfo", Samples.read("cpuinfo-intel-xeon-vmx.txt"))
        .file("/proc/meminfo", Samples.read("meminfo-debian12.txt"))
        .file("/proc/modules", Samples.read("modules-kvm-intel.txt"))
        .file("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n")
        .node("/dev/kvm", true)
        .node("/dev/vhost-net", true)
        .node("/dev/net/tun", true)
        .node(QEMU, false);

    HostFacts facts = probe(files).probe();

    assertEquals(new HostFacts("GenuineIntel", VirtualizationFlag.VMX, "kvm_intel", true, "6.1.0-18-amd64",
        true, true, Path.of(QEMU), "7.2.22",
        QemuDeviceHelpParser.networkDevices(Samples.read("qemu-device-help-7.2.txt")),
        24683656L * 1024, 24179756L * 1024, 2), facts);
    assertTrue(KvmUsability.usable(facts));
  }

  @Test
  void pvmNodeWithBuiltInModuleSeenOnlyInSysModule() {
    // Like this project's machines: no /proc/modules, kvm_pvm built in, /dev/kvm opens, no vhost-net.
    FakeHostFiles files = new FakeHostFiles()
        .file("/proc/cpuinfo", Samples.read("cpuinfo-amd-epyc-pvm-nested.txt"))
        .file("/proc/meminfo", Samples.read("meminfo-debian12.txt"))
        .node("/sys/module/kvm", false)
        .node("/sys/module/kvm_pvm", false)
        .node("/dev/kvm", true)
        .node("/dev/net/tun", true)
        .node(QEMU, false);

    HostFacts facts = probe(files).probe();

    assertEquals(VirtualizationFlag.NONE, facts.virtualizationFlag());
    assertEquals("kvm_pvm", facts.kvmModule());
    assertTrue(facts.devKvmUsable());
    assertFalse(facts.vhostNet());
    assertFalse(KvmUsability.usable(facts));
  }

  @Test
  void devKvmPresentButNotOpenable() {
    FakeHostFiles files = minimal().node("/dev/kvm", false);
    assertFalse(probe(files).probe().devKvmUsable());
  }

  @Test
  void withoutQemuTheQemuFactsAreEmptyAndNothingRuns() {
    FakeHostFiles files = new FakeHostFiles()
        .file("/proc/cpuinfo", Samples.read("cpuinfo-amd-epyc-svm.txt"))
        .file("/proc/meminfo", Samples.read("meminfo-debian12.txt"));

    HostFacts facts = probe(files).probe();

    assertNull(facts.qemuBinary());
    assertNull(facts.qemuVersion());
    assertEquals(Set.of(), facts.supportedNicModels());
    assertEquals(List.of(), runner.calls());
    assertEquals(1, facts.cpus());
  }

  @Test
  void failingQemuLeavesVersionUnknown() {
    FakeCommandRunner broken = new FakeCommandRunner().fail(List.of(QEMU, "-version"), "error while loading shared libraries");
    HostFacts facts = new HostFactsProbe(minimal().node(QEMU, false), broken, List.of(Path.of(QEMU))).probe();
    assertEquals(Path.of(QEMU), facts.qemuBinary());
    assertNull(facts.qemuVersion());
  }

  @Test
  void firstExistingCandidateWins() {
    FakeCommandRunner local = new FakeCommandRunner()
        .answer(List.of("/usr/local/bin/qemu-system-x86_64", "-version"), "QEMU emulator version 9.0.0\n");
    FakeHostFiles files = minimal().node("/usr/local/bin/qemu-system-x86_64", false).node(QEMU, false);
    HostFacts facts = new HostFactsProbe(files, local, HostFactsProbe.defaultQemuCandidates()).probe();
    assertEquals("9.0.0", facts.qemuVersion());
  }

  private static FakeHostFiles minimal() {
    return new FakeHostFiles()
        .file("/proc/cpuinfo", Samples.read("cpuinfo-intel-xeon-vmx.txt"))
        .file("/proc/meminfo", Samples.read("meminfo-debian12.txt"));
  }
}
