package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.List;

/**
 * Checks a guest on its own, with no cluster or host knowledge: the same answer in the operator
 * (which refuses to dispatch) and in the node agent (which refuses to start). An empty list means
 * valid.
 */
public final class GuestValidator {
  private GuestValidator() {}

  public static List<FieldError> validate(VirtualGuest guest) {
    Errors errors = new Errors();
    String name = guest.getMetadata() == null ? null : guest.getMetadata().getName();
    Checks.dnsLabel(name).ifPresent(m -> errors.add("metadata.name", m));
    if (guest.getSpec() == null) {
      errors.add("spec", "is required");
      return errors.toList();
    }
    checkSpec(guest.getSpec(), errors);
    return errors.toList();
  }

  public static List<FieldError> validate(VirtualGuestSpec spec) {
    Errors errors = new Errors();
    checkSpec(spec, errors);
    return errors.toList();
  }

  private static void checkSpec(VirtualGuestSpec spec, Errors errors) {
    ComputeRules.check(spec, errors);
    StorageRules.check(spec, errors);
    BootRules.check(spec, errors);
    NetworkRules.check(spec, errors);
    ConsoleRules.check(spec, errors);
  }
}
