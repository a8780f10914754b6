package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.status.StatusOwnership;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the agent-owned part of a guest's status through the Kubernetes API, next to the
 * operator's part: read the latest object, merge ({@link StatusOwnership#mergeAgent}), write guarded by the
 * resourceVersion read, and on a conflict start over ({@link ConflictRetry}). A guest that is gone,
 * was recreated under the same name (other uid) or is no longer this node's ({@link NodeAssignment}) is left alone.
 */
public final class KubernetesStatusSink implements StatusSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesStatusSink.class);
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final KubernetesClient client;
  private final String nodeName;
  private final NodeAssignment assignment;
  private final ConflictRetry retry;

  public KubernetesStatusSink(KubernetesClient client, String nodeName, ConflictRetry retry) {
    this.client = client;
    this.nodeName = nodeName;
    this.assignment = new NodeAssignment(nodeName);
    this.retry = retry;
  }

  @Override
  public void report(VirtualGuest guest, VirtualGuestStatus agentOwnedStatus) {
    retry.run("status of " + GuestIdentity.key(guest), () -> {
      Resource<VirtualGuest> resource = resourceOf(guest);
      VirtualGuest latest = resource.get();
      if (!stillOurs(guest, latest)) {
        return null;
      }
      VirtualGuestStatus merged = StatusOwnership.mergeAgent(latest.getStatus(), agentOwnedStatus);
      if (merged.equals(latest.getStatus())) {
        return null;
      }
      return ignoringNotFound(() -> resource.subresource("status")
          .patch(JSON_PATCH, GuardedPatches.replaceStatus(latest.getMetadata().getResourceVersion(), merged)));
    });
  }

  /**
   * Removes finalizer {@value ClusterContract#NODE_CLEANUP_FINALIZER} once the guest is being deleted, so
   * the API server can finish deleting it. A guest that merely moved away from this node keeps it:
   * the finalizer then guards the cleanup on its new node.
   */
  @Override
  public void releaseFinalizer(VirtualGuest guest) {
    retry.run("finalizer of " + GuestIdentity.key(guest), () -> {
      Resource<VirtualGuest> resource = resourceOf(guest);
      VirtualGuest latest = resource.get();
      if (!stillOurs(guest, latest) || latest.getMetadata().getDeletionTimestamp() == null) {
        return null;
      }
      List<String> finalizers = Objects.requireNonNullElse(latest.getMetadata().getFinalizers(), List.of());
      if (!finalizers.contains(ClusterContract.NODE_CLEANUP_FINALIZER)) {
        return null;
      }
      List<String> rest = finalizers.stream().filter(f -> !f.equals(ClusterContract.NODE_CLEANUP_FINALIZER)).toList();
      LOG.info("{} is cleaned up on {}: removing finalizer {}", GuestIdentity.key(guest), nodeName, ClusterContract.NODE_CLEANUP_FINALIZER);
      return ignoringNotFound(() -> resource.patch(JSON_PATCH, GuardedPatches.replaceFinalizers(latest.getMetadata().getResourceVersion(), rest)));
    });
  }

  /** Deleted between the read and the write: nothing left to write to. */
  private static VirtualGuest ignoringNotFound(Supplier<VirtualGuest> write) {
    try {
      return write.get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private Resource<VirtualGuest> resourceOf(VirtualGuest guest) {
    return client.resources(VirtualGuest.class).inNamespace(GuestIdentity.namespace(guest)).withName(guest.getMetadata().getName());
  }

  /** The same object (not a namesake created since) and still placed on and labelled for this node. */
  private boolean stillOurs(VirtualGuest guest, VirtualGuest latest) {
    if (latest == null) {
      return false;
    }
    String uid = guest.getMetadata().getUid();
    if (uid != null && !uid.equals(latest.getMetadata().getUid())) {
      return false;
    }
    return assignment.isOurs(latest);
  }
}
