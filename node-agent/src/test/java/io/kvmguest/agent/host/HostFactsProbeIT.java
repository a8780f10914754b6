package io.kvmguest.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.testing.Requirements;
import org.junit.jupiter.api.Test;

/**
 * Probes this real machine and checks what holds on any Linux host (see docs/node-agent.md on how
 * KVM usability is decided: CPU flags, the vendor module and /dev/kvm, not /dev/kvm alone).
 */
class HostFactsProbeIT {

  @Test
  void probesThisMachine() {
    Requirements.root();
    Requirements.binary("qemu-system-x86_64");

    HostFacts facts = new HostFactsProbe(new LinuxHostFiles(), LinuxCommandRunner.inRootNamespace(),
        HostFactsProbe.defaultQemuCandidates()).probe();

    assertTrue(facts.cpus() >= 1, facts.toString());
    assertTrue(facts.memoryTotalBytes() > 0 && facts.memoryAvailableBytes() > 0, facts.toString());
    assertTrue(facts.memoryAvailableBytes() <= facts.memoryTotalBytes(), facts.toString());
    assertNotNull(facts.qemuVersion(), "qemu -version parsed: " + facts);
    assertTrue(facts.qemuVersion().matches("\\d+\\.\\d+(\\.\\d+)?"), facts.qemuVersion());
    assertTrue(facts.supportedNicModels().contains("e1000"), facts.supportedNicModels().toString());
    assertTrue(facts.supportedNicModels().contains("virtio-net-pci"), facts.supportedNicModels().toString());
    assertFalse(facts.kernelVersion().isBlank());
    assertTrue(facts.netTun(), "/dev/net/tun exists here");

    // This machine's known truth: /dev/kvm is kvm_pvm on a CPU without vmx/svm, so KVM is not usable.
    assertEquals(VirtualizationFlag.NONE, facts.virtualizationFlag(), facts.toString());
    assertFalse(facts.hardwareKvmModule(), facts.toString());
    assertFalse(KvmUsability.usable(facts), facts.toString());
    var decision = AcceleratorDecision.decide("kvm", facts);
    var refused = org.junit.jupiter.api.Assertions.assertInstanceOf(AcceleratorDecision.Refused.class, decision);
    assertTrue(refused.condition().message().contains("no vmx/svm flag in /proc/cpuinfo"), refused.condition().message());
  }
}
