package io.kvmguest.operator.placement;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Optional;

/**
 * Where a guest is placed: the operator-written {@code status.nodeName}, and nothing else. The node
 * label is metadata that anyone allowed to edit the guest can set, so it never decides placement
 * (a user-set label would pin a guest past nodeSelector, KVM, memory and readiness checks): the
 * operator re-labels the guest to match its status on dispatch, and agents act only when both agree.
 */
public final class Assignment {
  private Assignment() {}

  public static Optional<String> nodeOf(VirtualGuest guest) {
    return Optional.ofNullable(guest.getStatus()).map(s -> s.nodeName()).filter(n -> !n.isBlank());
  }

  /** The node label as it stands, whoever wrote it; empty when absent or blank. */
  public static Optional<String> labelOf(VirtualGuest guest) {
    var labels = guest.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(ClusterContract.NODE_LABEL)).filter(n -> !n.isBlank());
  }
}
