package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.GuestEvents;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.placement.Assignment;
import java.util.Optional;

/**
 * A guest marked for deletion: its node's agent cleans up and removes the finalizer. The operator
 * removes it only when no agent ever will: the guest was never dispatched, or its Node is gone.
 */
public final class DeletionStep {
  private final KubernetesClient client;
  private final GuestMetadata metadata;
  private final GuestEvents events;
  private final Pacing pacing;

  public DeletionStep(KubernetesClient client, GuestMetadata metadata, GuestEvents events, Pacing pacing) {
    this.client = client;
    this.metadata = metadata;
    this.events = events;
    this.pacing = pacing;
  }

  public UpdateControl<VirtualGuest> handle(VirtualGuest guest) {
    if (!guest.hasFinalizer(ClusterContract.NODE_CLEANUP_FINALIZER)) {
      return UpdateControl.noUpdate();
    }
    Optional<String> node = Assignment.nodeOf(guest);
    if (node.isEmpty()) {
      events.normal(guest, "FinalizerRemoved", "never dispatched to a node: nothing to clean up");
      metadata.removeFinalizer(guest);
      return UpdateControl.noUpdate();
    }
    if (client.nodes().withName(node.get()).get() == null) {
      events.warning(guest, "NodeGone", "node " + node.get() + " no longer exists: removing finalizer " + ClusterContract.NODE_CLEANUP_FINALIZER
          + " without the agent's cleanup (qemu, taps and disk images there, if any, are left behind)");
      metadata.removeFinalizer(guest);
      return UpdateControl.noUpdate();
    }
    if (!Assignment.labelOf(guest).equals(node)) {
      // Relabelled by a user: the agent of node sees only guests labelled for it, and would never clean up.
      metadata.dispatch(guest, node.get());
    }
    // The agent of that node cleans up; look again in case its Node disappears meanwhile.
    return pacing.retryLater();
  }
}
