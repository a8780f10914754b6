package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guests the operator dispatched to this node: an informer on VirtualGuests labelled
 * {@code kvmguest.io/node=<node>}, in all namespaces or one, of which only those whose
 * operator-written status.nodeName names this node too ({@link NodeAssignment}); a guest labelled
 * here by anyone else is ignored, neither started nor cleaned up. A guest being deleted counts as
 * gone, so the agent powers it off and cleans up; the sink then removes its finalizer. A guest
 * that leaves the list otherwise (relabelled, re-placed) has moved away: its disks stay.
 */
public final class KubernetesGuestSource implements GuestSource {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesGuestSource.class);

  private final KubernetesClient client;
  private final String nodeName;
  private final NodeAssignment assignment;
  private final Optional<String> namespace;
  private final Duration syncTimeout;
  private SharedIndexInformer<VirtualGuest> informer;

  /** {@code namespace} empty: every namespace. {@code syncTimeout}: how long start waits for the first list. */
  public KubernetesGuestSource(KubernetesClient client, String nodeName, Optional<String> namespace, Duration syncTimeout) {
    this.client = client;
    this.nodeName = nodeName;
    this.assignment = new NodeAssignment(nodeName);
    this.namespace = namespace;
    this.syncTimeout = syncTimeout;
  }

  @Override
  public List<VirtualGuest> guests() {
    return cached().stream().filter(g -> g.getMetadata().getDeletionTimestamp() == null).toList();
  }

  /** Guests of this node that are being deleted and still wait for this node's cleanup. */
  @Override
  public List<VirtualGuest> deleting() {
    return cached().stream().filter(g -> g.getMetadata().getDeletionTimestamp() != null).toList();
  }

  /**
   * Only deletions announced by a deletion timestamp delete: every dispatched guest carries the
   * node's finalizer, so a guest that simply leaves the list was relabelled or re-placed.
   */
  @Override
  public Departure unlistedDeparture() {
    return Departure.MOVED_AWAY;
  }

  /**
   * The informer's cache, checked once more against the label (a watch may report a relabelled
   * guest as modified, not deleted) and against the operator's placement in status.nodeName.
   */
  private synchronized List<VirtualGuest> cached() {
    List<VirtualGuest> all = informer == null ? List.of() : informer.getStore().list();
    return all.stream().filter(assignment::isOurs).toList();
  }

  /**
   * Starts the informer and waits (up to the sync timeout) for its first list, so that the agent's
   * first pass sees every guest. Without the API server it keeps retrying in the background.
   */
  @Override
  public void start(Runnable onChange) {
    SharedIndexInformer<VirtualGuest> started;
    synchronized (this) {
      if (informer != null) {
        throw new IllegalStateException("guest source for node " + nodeName + " already started");
      }
      informer = selection().runnableInformer(0);
      informer.exceptionHandler((isStarted, t) -> {
        // Like client-go: keep listing and watching, whatever failed; the agent must not go deaf.
        LOG.warn("watching guests of node {}: {} (retrying)", nodeName, t.toString());
        return true;
      });
      informer.addEventHandler(new ResourceEventHandler<VirtualGuest>() {
        @Override
        public void onAdd(VirtualGuest guest) {
          onChange.run();
        }

        @Override
        public void onUpdate(VirtualGuest before, VirtualGuest after) {
          onChange.run();
        }

        @Override
        public void onDelete(VirtualGuest guest, boolean finalStateUnknown) {
          onChange.run();
        }
      });
      started = informer;
    }
    try {
      started.start().toCompletableFuture().get(syncTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("guests of node {} not listed within {} s; going on, they appear when the API server answers", nodeName,
          syncTimeout.toSeconds());
    } catch (ExecutionException e) {
      LOG.warn("listing guests of node {} failed: {}; retrying in the background", nodeName, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private FilterWatchListDeletable<VirtualGuest, KubernetesResourceList<VirtualGuest>, Resource<VirtualGuest>> selection() {
    var guests = client.resources(VirtualGuest.class);
    var scoped = namespace.isPresent() ? guests.inNamespace(namespace.get()) : guests.inAnyNamespace();
    return scoped.withLabel(ClusterContract.NODE_LABEL, nodeName);
  }

  /** True once the informer has listed this node's guests; it stays true while it re-watches. */
  @Override
  public synchronized boolean synced() {
    return informer != null && informer.hasSynced();
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.stop();
    }
  }
}
