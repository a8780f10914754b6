package io.kvmguest.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.api.kube.ClusterContract;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AcceleratorDecisionTest {

  static HostFacts host(VirtualizationFlag flag, String module, boolean devKvm) {
    return new HostFacts("GenuineIntel", flag, module, devKvm, "6.1.0", true, true,
        Path.of("/usr/bin/qemu-system-x86_64"), "7.2.22", Set.of("e1000"), 1L << 33, 1L << 32, 4);
  }

  static final HostFacts KVM_HOST = host(VirtualizationFlag.VMX, "kvm_intel", true);
  static final HostFacts AMD_KVM_HOST = host(VirtualizationFlag.SVM, "kvm_amd", true);
  /** This project's machines: /dev/kvm opens, but it is kvm_pvm on a CPU without vmx/svm. */
  static final HostFacts PVM_HOST = host(VirtualizationFlag.NONE, "kvm_pvm", true);
  static final HostFacts NO_MODULE = host(VirtualizationFlag.VMX, "none", false);
  static final HostFacts DEV_KVM_LOCKED = host(VirtualizationFlag.SVM, "kvm_amd", false);

  static Stream<Arguments> table() {
    return Stream.of(
        // requested, host, accelerator, cpu model, condition type (or null)
        Arguments.of("auto", KVM_HOST, Accelerator.KVM, "host", null),
        Arguments.of(null, AMD_KVM_HOST, Accelerator.KVM, "host", null),
        Arguments.of("kvm", KVM_HOST, Accelerator.KVM, "host", null),
        Arguments.of("tcg", KVM_HOST, Accelerator.TCG, null, null),
        Arguments.of("tcg", PVM_HOST, Accelerator.TCG, null, null),
        Arguments.of("auto", PVM_HOST, Accelerator.TCG, null, ClusterContract.ACCELERATOR_FALLBACK_CONDITION),
        Arguments.of("auto", NO_MODULE, Accelerator.TCG, null, ClusterContract.ACCELERATOR_FALLBACK_CONDITION),
        Arguments.of("auto", DEV_KVM_LOCKED, Accelerator.TCG, null, ClusterContract.ACCELERATOR_FALLBACK_CONDITION));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("table")
  void decides(String requested, HostFacts facts, Accelerator accelerator, String cpuModel, String conditionType) {
    var use = assertInstanceOf(AcceleratorDecision.Use.class, AcceleratorDecision.decide(requested, facts));
    assertEquals(accelerator, use.accelerator());
    assertEquals(cpuModel, use.cpuModel());
    assertEquals(Optional.ofNullable(conditionType), use.condition().map(AcceleratorCondition::type));
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of(PVM_HOST, "no vmx/svm flag in /proc/cpuinfo; kvm_intel/kvm_amd not loaded (found kvm_pvm)"),
        Arguments.of(NO_MODULE, "kvm_intel/kvm_amd not loaded; /dev/kvm cannot be opened"),
        Arguments.of(DEV_KVM_LOCKED, "/dev/kvm cannot be opened"));
  }

  @ParameterizedTest
  @MethodSource("refusals")
  void kvmDemandedOnANodeWithoutItIsRefusedSayingWhy(HostFacts facts, String why) {
    var refused = assertInstanceOf(AcceleratorDecision.Refused.class, AcceleratorDecision.decide("kvm", facts));
    assertEquals(AcceleratorCondition.KVM_UNAVAILABLE, refused.condition().type());
    assertTrue(refused.condition().message().endsWith(": " + why), refused.condition().message());
  }

  @Test
  void fallbackMessageNamesTheMissingCapability() {
    var use = (AcceleratorDecision.Use) AcceleratorDecision.decide("auto", PVM_HOST);
    AcceleratorCondition condition = use.condition().orElseThrow();
    assertEquals("KvmUnavailable", condition.reason());
    assertTrue(condition.message().contains("TCG"), condition.message());
    assertTrue(condition.message().contains("no vmx/svm flag in /proc/cpuinfo"), condition.message());
  }

  @Test
  void devKvmAloneIsNotEnough() {
    assertTrue(PVM_HOST.devKvmUsable());
    assertEquals(false, KvmUsability.usable(PVM_HOST));
  }

  @Test
  void unknownAcceleratorIsRejectedListingTheAllowedOnes() {
    var e = assertThrows(IllegalArgumentException.class, () -> AcceleratorDecision.decide("hvf", KVM_HOST));
    assertTrue(e.getMessage().contains("\"hvf\"") && e.getMessage().contains("auto, kvm or tcg"), e.getMessage());
  }
}
