package io.kvmguest.agent.kube;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Map;

/**
 * Whether a guest is this node's to run: the operator placed it here ({@code status.nodeName},
 * which only the operator writes) and its node label agrees. The label alone is not enough: anyone
 * who may edit the guest can set it, and it would pin the guest here past the operator's checks.
 * The label is still required, as the agent's watch selects by it and the operator sets it last.
 */
final class NodeAssignment {
  private final String nodeName;

  NodeAssignment(String nodeName) {
    this.nodeName = nodeName;
  }

  boolean isOurs(VirtualGuest guest) {
    return placedHere(guest) && labelledHere(guest);
  }

  private boolean placedHere(VirtualGuest guest) {
    return guest.getStatus() != null && nodeName.equals(guest.getStatus().nodeName());
  }

  private boolean labelledHere(VirtualGuest guest) {
    Map<String, String> labels = guest.getMetadata().getLabels();
    return labels != null && nodeName.equals(labels.get(ClusterContract.NODE_LABEL));
  }
}
