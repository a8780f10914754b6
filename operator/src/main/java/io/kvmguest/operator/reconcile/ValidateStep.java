package io.kvmguest.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.SecretKeyRef;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.validation.FieldError;
import io.kvmguest.api.validation.GuestValidator;
import io.kvmguest.api.validation.MacConflicts;
import io.kvmguest.operator.mac.ClusterMacs;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validation: the shared {@link GuestValidator}, then what only the cluster knows: every spec MAC
 * is this guest's alone (claimed atomically, so of two guests racing for one MAC exactly one wins),
 * and the VNC password Secret exists with its key.
 */
public final class ValidateStep {
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String MAC_CONFLICT = "MacConflict";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  /** Every reason an invalid verdict gives: a closed set (metrics label it by reason). */
  public static final List<String> FAILURE_REASONS = List.of(INVALID_SPEC, MAC_CONFLICT, SECRET_NOT_FOUND);

  private final KubernetesClient client;
  private final ClusterMacs macs;

  /** The outcome; {@code retryLater} when a change outside the guest (a Secret) can fix it. */
  public record Verdict(String reason, List<FieldError> errors, boolean retryLater) {
    static final Verdict VALID = new Verdict("Valid", List.of(), false);

    public boolean valid() {
      return errors.isEmpty();
    }

    public String message() {
      return errors.stream().map(FieldError::toString).collect(Collectors.joining("; "));
    }
  }

  public ValidateStep(KubernetesClient client, ClusterMacs macs) {
    this.client = client;
    this.macs = macs;
  }

  public Verdict check(VirtualGuest guest, ClusterView cluster) {
    List<FieldError> errors = GuestValidator.validate(guest);
    if (!errors.isEmpty()) {
      return new Verdict(INVALID_SPEC, errors, false);
    }
    List<FieldError> clashes = macs.claimSpecMacs(guest).stream().map(clash -> macClash(guest, clash, cluster)).toList();
    if (!clashes.isEmpty()) {
      return new Verdict(MAC_CONFLICT, clashes, false);
    }
    SecretKeyRef ref = guest.getSpec().vnc() == null ? null : guest.getSpec().vnc().passwordSecretRef();
    if (ref != null) {
      Secret secret = client.secrets().inNamespace(guest.getMetadata().getNamespace()).withName(ref.name()).get();
      String path = "spec.vnc.passwordSecretRef";
      if (secret == null) {
        return new Verdict(SECRET_NOT_FOUND, List.of(new FieldError(path + ".name",
            "Secret \"" + ref.name() + "\" does not exist in namespace " + guest.getMetadata().getNamespace() + ": create it with the VNC password under key \"" + ref.key() + "\"")), true);
      }
      if (!has(secret.getData(), ref.key()) && !has(secret.getStringData(), ref.key())) {
        return new Verdict(SECRET_NOT_FOUND, List.of(new FieldError(path + ".key",
            "Secret \"" + ref.name() + "\" has no key \"" + ref.key() + "\"")), true);
      }
    }
    return Verdict.VALID;
  }

  private static FieldError macClash(VirtualGuest guest, ClusterMacs.Clash clash, ClusterView cluster) {
    String holder = cluster.guestByUid(clash.holderUid())
        .map(other -> MacConflicts.otherGuest(other.getMetadata().getNamespace(), other.getMetadata().getName(), interfaceHolding(other, clash.mac())))
        .orElse("another VirtualGuest");
    return new FieldError("spec.interfaces[" + clash.interfaceIndex() + "].macAddress", MacConflicts.message(clash.mac(), holder));
  }

  private static String interfaceHolding(VirtualGuest guest, String mac) {
    String wanted = MacAddresses.normalize(mac);
    for (NetworkInterface nic : guest.getSpec().interfaces()) {
      if (nic.macAddress() != null && MacAddresses.normalize(nic.macAddress()).equals(wanted)) {
        return nic.name();
      }
    }
    if (guest.getStatus() != null) {
      for (var entry : guest.getStatus().macAddresses().entrySet()) {
        if (MacAddresses.normalize(entry.getValue()).equals(wanted)) {
          return entry.getKey();
        }
      }
    }
    return "?";
  }

  private static boolean has(Map<String, String> data, String key) {
    return data != null && data.containsKey(key);
  }
}
