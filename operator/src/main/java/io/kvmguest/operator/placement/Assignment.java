package io.kvmguest.operator.placement;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Optional;

/** Where a guest is placed, as the cluster records it: the node label, else status.nodeName. */
public final class Assignment {
  private Assignment() {}

  public static Optional<String> nodeOf(VirtualGuest guest) {
    var labels = guest.getMetadata().getLabels();
    String label = labels == null ? null : labels.get(ClusterContract.NODE_LABEL);
    if (label != null && !label.isBlank()) {
      return Optional.of(label);
    }
    return Optional.ofNullable(guest.getStatus()).map(s -> s.nodeName()).filter(n -> !n.isBlank());
  }
}
