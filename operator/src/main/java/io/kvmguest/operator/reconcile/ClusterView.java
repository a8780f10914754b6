package io.kvmguest.operator.reconcile;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.nodes.LeaseUpdateFilter;
import io.kvmguest.operator.nodes.NodeReport;
import io.kvmguest.operator.nodes.NodeUpdateFilter;
import io.kvmguest.operator.placement.Assignment;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's read-only view of the cluster, from JOSDK's caches: every guest (the primary
 * cache, indexed by node), every Node an agent published and every agent's heartbeat Lease
 * (secondary informers). Node and Lease changes wake the guests on that node and every guest not
 * placed yet; {@link #wakeUnplaced} does the latter when a departing guest frees capacity or a MAC.
 */
public final class ClusterView {
  static final String BY_NODE = "kvmguest-by-node";
  static final String UNPLACED = "<unplaced>";
  static final String BY_PHASE = "kvmguest-by-phase";

  private final NodeUpdateFilter nodeFilter;
  private final LeaseUpdateFilter leaseFilter;
  private volatile IndexerResourceCache<VirtualGuest> guests;
  private InformerEventSource<Node, VirtualGuest> nodes;
  private InformerEventSource<Lease, VirtualGuest> leases;
  private SimpleInboundEventSource<VirtualGuest> wakeups;

  public ClusterView(NodeUpdateFilter nodeFilter, LeaseUpdateFilter leaseFilter) {
    this.nodeFilter = nodeFilter;
    this.leaseFilter = leaseFilter;
  }

  List<EventSource<?, VirtualGuest>> eventSources(EventSourceContext<VirtualGuest> context) {
    guests = context.getPrimaryCache();
    guests.addIndexer(BY_NODE, guest -> List.of(Assignment.nodeOf(guest).orElse(UNPLACED)));
    guests.addIndexer(BY_PHASE, guest -> List.of(phaseOf(guest)));
    var config = InformerEventSourceConfiguration.from(Node.class, VirtualGuest.class)
        .withName("agent-nodes")
        .withWatchAllNamespaces()
        .withLabelSelector(ClusterContract.AGENT_READY_LABEL)
        .withSecondaryToPrimaryMapper(this::guestsAffectedBy)
        .withOnUpdateFilter(nodeFilter)
        .build();
    nodes = new InformerEventSource<>(config, context);
    var leaseConfig = InformerEventSourceConfiguration.from(Lease.class, VirtualGuest.class)
        .withName("agent-leases")
        .withNamespaces(ClusterContract.LEASE_NAMESPACE)
        .withLabelSelector(ClusterContract.AGENT_LEASE_LABEL)
        .withSecondaryToPrimaryMapper(lease -> LeaseUpdateFilter.holder(lease).map(this::guestsAffectedBy).orElse(Set.of()))
        .withOnUpdateFilter(leaseFilter)
        .build();
    leases = new InformerEventSource<>(leaseConfig, context);
    wakeups = new SimpleInboundEventSource<>("unplaced-guest-wakeups");
    return List.of(nodes, leases, wakeups);
  }

  public List<VirtualGuest> guests() {
    return guests.list().toList();
  }

  /**
   * How many cached guests are in {@code phase}, those with no phase yet counting as Pending: an
   * index lookup on JOSDK's primary cache, no API request. 0 before the controller has started.
   */
  public int guestsInPhase(String phase) {
    IndexerResourceCache<VirtualGuest> cache = guests;
    return cache == null ? 0 : cache.byIndex(BY_PHASE, phase).size();
  }

  static String phaseOf(VirtualGuest guest) {
    String phase = guest.getStatus() == null ? null : guest.getStatus().phase();
    return phase == null || phase.isEmpty() ? Enums.Phase.Pending.name() : phase;
  }

  public Optional<VirtualGuest> guestByUid(String uid) {
    return guests.list(g -> uid.equals(g.getMetadata().getUid())).findFirst();
  }

  public List<NodeReport> nodes() {
    return nodes.list().map(node -> NodeReport.of(node, leaseOf(node.getMetadata().getName()))).toList();
  }

  public Optional<NodeReport> node(String name) {
    return nodes.get(new ResourceID(name)).map(node -> NodeReport.of(node, leaseOf(name)));
  }

  /** The node's heartbeat Lease, when its agent holds it. */
  private Optional<Lease> leaseOf(String node) {
    return leases.get(new ResourceID(ClusterContract.leaseName(node), ClusterContract.LEASE_NAMESPACE))
        .filter(lease -> LeaseUpdateFilter.holder(lease).filter(node::equals).isPresent());
  }

  /** Asks for a reconcile of every guest without a node. */
  public void wakeUnplaced() {
    guests.byIndex(BY_NODE, UNPLACED).forEach(g -> wakeups.propagateEvent(ResourceID.fromResource(g)));
  }

  private Set<ResourceID> guestsAffectedBy(Node node) {
    return guestsAffectedBy(node.getMetadata().getName());
  }

  private Set<ResourceID> guestsAffectedBy(String node) {
    return Stream.concat(guests.byIndex(BY_NODE, node).stream(), guests.byIndex(BY_NODE, UNPLACED).stream())
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
