package io.kvmguest.api.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.Limits;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.math.BigDecimal;
import java.util.Optional;

/** runStrategy, cpus, memory, accelerator. */
final class ComputeRules {
  private ComputeRules() {}

  static void check(VirtualGuestSpec spec, Errors errors) {
    Checks.oneOf(Enums.RunStrategy.class, spec.runStrategy()).ifPresent(m -> errors.add("spec.runStrategy", m));
    Checks.oneOf(Enums.Accelerator.class, spec.accelerator()).ifPresent(m -> errors.add("spec.accelerator", m));
    if (spec.cpus() < 1 || spec.cpus() > Limits.MAX_CPUS) {
      errors.add("spec.cpus", spec.cpus() + " is out of range: allowed are 1 to " + Limits.MAX_CPUS);
    }
    memoryProblem(spec.memory()).ifPresent(m -> errors.add("spec.memory", m));
  }

  static Optional<String> memoryProblem(Quantity memory) {
    if (memory == null) {
      return Optional.of("is required: a Kubernetes quantity such as 512Mi or 4Gi");
    }
    Optional<BigDecimal> bytes = Quantities.bytes(memory);
    if (bytes.isEmpty()) {
      return Optional.of("\"" + Checks.printable(memory.toString()) + "\" is not a quantity: use a number with an optional suffix such as 512Mi or 4Gi");
    }
    if (bytes.get().compareTo(BigDecimal.valueOf(Limits.MIN_MEMORY_BYTES)) < 0) {
      return Optional.of(memory + " is too little: at least 16Mi");
    }
    if (bytes.get().compareTo(BigDecimal.valueOf(Limits.MAX_MEMORY_BYTES)) > 0) {
      return Optional.of(memory + " is too much: at most 4Ti");
    }
    return Optional.empty();
  }
}
