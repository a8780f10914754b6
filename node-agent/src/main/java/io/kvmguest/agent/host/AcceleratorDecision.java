package io.kvmguest.agent.host;

import io.kvmguest.api.kube.ClusterContract;
import java.util.List;
import java.util.Optional;

/**
 * The accelerator a guest runs with on this node, decided from its spec.accelerator and the
 * {@link HostFacts}: {@link Use} or, when kvm is demanded and the node cannot, {@link Refused}.
 */
public sealed interface AcceleratorDecision {

  /** Run with {@code accelerator}; {@code cpuModel} null means qemu's default model. */
  record Use(Accelerator accelerator, String cpuModel, Optional<AcceleratorCondition> condition)
      implements AcceleratorDecision {}

  /** Do not start the guest here; the condition's message says why. */
  record Refused(AcceleratorCondition condition) implements AcceleratorDecision {}

  /** CPU model for KVM guests: pass the host CPU through, as an admin running qemu-kvm by hand would. */
  String KVM_CPU_MODEL = "host";

  /**
   * @param requested spec.accelerator: auto, kvm or tcg (null means auto)
   * @throws IllegalArgumentException for any other value
   */
  static AcceleratorDecision decide(String requested, HostFacts facts) {
    String mode = requested == null ? "auto" : requested;
    List<String> problems = KvmUsability.problems(facts);
    String why = String.join("; ", problems);
    return switch (mode) {
      case "tcg" -> new Use(Accelerator.TCG, null, Optional.empty());
      case "kvm" -> problems.isEmpty()
          ? new Use(Accelerator.KVM, KVM_CPU_MODEL, Optional.empty())
          : new Refused(new AcceleratorCondition(AcceleratorCondition.KVM_UNAVAILABLE, "KvmUnavailable",
              "accelerator kvm was requested but this node cannot run KVM guests: " + why));
      case "auto" -> problems.isEmpty()
          ? new Use(Accelerator.KVM, KVM_CPU_MODEL, Optional.empty())
          : new Use(Accelerator.TCG, null, Optional.of(new AcceleratorCondition(ClusterContract.ACCELERATOR_FALLBACK_CONDITION,
              "KvmUnavailable", "running under TCG software emulation (much slower) because KVM is not usable on this node: " + why)));
      default -> throw new IllegalArgumentException(
          "accelerator \"" + requested + "\" is not supported: use auto, kvm or tcg");
    };
  }
}
