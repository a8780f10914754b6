package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.GuestEvents;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.mac.ClusterMacs;
import io.kvmguest.operator.metrics.OperatorMetrics;
import io.kvmguest.operator.nodes.NodeReport;
import io.kvmguest.operator.placement.Assignment;
import io.kvmguest.operator.placement.Placement;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * validate → assign MACs → place → dispatch → status, one small step each. Runs in JOSDK's
 * "trigger on all events" mode: it manages its own finalizer (only dispatched guests carry one)
 * and sees deletions, so it can free a deleted guest's MACs and reservation.
 */
public final class VirtualGuestReconciler implements Reconciler<VirtualGuest> {
  private final ClusterView cluster;
  private final ClusterMacs macs;
  private final ValidateStep validate;
  private final PlaceStep place;
  private final GuestMetadata metadata;
  private final StatusStep status;
  private final DeletionStep deletion;
  private final GuestEvents events;
  private final Pacing pacing;
  private final OperatorMetrics metrics;
  /** Guests this operator marked Unknown, so it can say when their node reports again. */
  private final Set<String> markedUnreachable = ConcurrentHashMap.newKeySet();

  public VirtualGuestReconciler(ClusterView cluster, ClusterMacs macs, ValidateStep validate, PlaceStep place,
      GuestMetadata metadata, StatusStep status, DeletionStep deletion, GuestEvents events, Pacing pacing, OperatorMetrics metrics) {
    this.cluster = cluster;
    this.macs = macs;
    this.validate = validate;
    this.place = place;
    this.metadata = metadata;
    this.status = status;
    this.deletion = deletion;
    this.events = events;
    this.pacing = pacing;
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, VirtualGuest>> prepareEventSources(EventSourceContext<VirtualGuest> context) {
    return cluster.eventSources(context);
  }

  @Override
  public UpdateControl<VirtualGuest> reconcile(VirtualGuest guest, Context<VirtualGuest> context) {
    if (context.isPrimaryResourceDeleted()) {
      departed(guest.getMetadata().getUid());
      return UpdateControl.noUpdate();
    }
    macs.seedOnce(cluster::guests);
    if (guest.isMarkedForDeletion()) {
      return deletion.handle(guest);
    }
    if (Assignment.nodeOf(guest).isEmpty()) {
      metrics.unplacedSeen(guest.getMetadata().getUid());
    }
    long generation = guest.getMetadata().getGeneration() == null ? 0 : guest.getMetadata().getGeneration();
    ValidateStep.Verdict verdict = validate.check(guest, cluster);
    if (!verdict.valid()) {
      status.write(guest, OperatorIntent.invalid(generation, verdict.reason(), verdict.message()));
      return verdict.retryLater() ? pacing.retryLater() : UpdateControl.noUpdate();
    }
    ClusterMacs.Assigned assigned = macs.assign(guest);
    assigned.replaced().forEach(nic -> events.warning(guest, "MacReassigned",
        "interface " + nic + ": its MAC in status is used by another guest; it now has " + assigned.macAddresses().get(nic)));
    OperatorIntent intent = OperatorIntent.valid(generation, assigned.macAddresses());
    Optional<String> node = Assignment.nodeOf(guest);
    if (node.isEmpty()) {
      Placement.Decision decision = place.choose(guest, cluster);
      if (decision.node().isEmpty()) {
        status.write(guest, intent.unschedulable(ClusterContract.NO_NODE_FITS_REASON, decision.reason()));
        return pacing.retryLater();
      }
      node = decision.node();
    }
    // One status write (Valid, MACs, nodeName, Scheduled) before the label: no agent ever sees the
    // guest without its MACs, and status.nodeName is what marks it placed (the label is anyone's to write).
    Optional<NodeReport> report = cluster.node(node.get());
    boolean reachable = report.isPresent() && pacing.fresh(report.get());
    OperatorIntent placed = intent.placed(node.get());
    VirtualGuest written = status.write(guest, reachable ? placed : placed.unreachable(unreachableWhy(node.get(), report)));
    noteReachability(written, node.get(), reachable);
    Optional<VirtualGuest> dispatched = dispatch(written, node.get());
    return dispatched.isEmpty() ? UpdateControl.noUpdate() : pacing.watchNode(report);
  }

  private Optional<VirtualGuest> dispatch(VirtualGuest guest, String node) {
    Assignment.labelOf(guest).filter(label -> !label.equals(node)).ifPresent(label -> events.warning(guest, "NodeLabelOverwritten",
        "label " + ClusterContract.NODE_LABEL + "=" + label + " is the operator's to set; the guest is placed on " + node
            + " (status.nodeName) and relabelled to match"));
    boolean already = GuestMetadata.dispatchedTo(guest, node);
    Optional<VirtualGuest> dispatched = metadata.dispatch(guest, node);
    if (!already && dispatched.isPresent()) {
      metrics.dispatched(node);
    }
    return dispatched;
  }

  /** Scheduled while the node reports; Unknown (and Ready=Unknown) while it does not. */
  private void noteReachability(VirtualGuest guest, String node, boolean reachable) {
    String uid = guest.getMetadata().getUid();
    if (!reachable) {
      markedUnreachable.add(uid);
    } else if (markedUnreachable.remove(uid)) {
      events.normal(guest, "NodeReachable", "node " + node + " reports again");
    }
  }

  private String unreachableWhy(String node, Optional<NodeReport> report) {
    return report.map(r -> "node " + node + " has not reported for more than " + pacing.staleAfter().toSeconds()
        + "s (last heartbeat " + r.heartbeat().map(Object::toString).orElse("never") + ")")
        .orElse("node " + node + " has no Node object published by a kvmguest agent");
  }

  private void departed(String uid) {
    macs.releaseAll(uid);
    place.forget(uid);
    markedUnreachable.remove(uid);
    metrics.forget(uid);
    cluster.wakeUnplaced();
  }
}
