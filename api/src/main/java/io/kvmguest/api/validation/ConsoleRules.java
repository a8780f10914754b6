package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.SecretKeyRef;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.regex.Pattern;

/** vnc. */
final class ConsoleRules {
  private ConsoleRules() {}

  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  static void check(VirtualGuestSpec spec, Errors errors) {
    if (spec.vnc() == null || spec.vnc().passwordSecretRef() == null) {
      return;
    }
    SecretKeyRef ref = spec.vnc().passwordSecretRef();
    String path = "spec.vnc.passwordSecretRef";
    Checks.dnsSubdomain(ref.name()).ifPresent(m -> errors.add(path + ".name", m));
    if (!SECRET_KEY.matcher(ref.key()).matches()) {
      errors.add(path + ".key", "\"" + Checks.printable(ref.key()) + "\" is not a Secret key: letters, digits, '-', '_' and '.'");
    }
  }
}
