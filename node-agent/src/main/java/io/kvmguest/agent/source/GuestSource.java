package io.kvmguest.agent.source;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.List;

/**
 * Where the agent learns which guests this node should run: the Kubernetes API (guests labelled
 * for the node) or, without a cluster, a directory of guest YAML files.
 */
public interface GuestSource extends AutoCloseable {

  /** Every guest currently assigned to this node. */
  List<VirtualGuest> guests();

  /**
   * Guests of this node being deleted but still held by the node's finalizer: the agent cleans
   * them up even when it never saw them alive (deleted while it was down).
   */
  default List<VirtualGuest> deleting() {
    return List.of();
  }

  /** What became of a guest that left {@link #guests()}. */
  enum Departure {
    /** Deleted: stop it and remove what it has on this node, disks included (unless kept by annotation). */
    DELETED,
    /** No longer this node's to run (placed elsewhere, relabelled): stop it, keep its disks. */
    MOVED_AWAY
  }

  /**
   * What a guest that leaves {@link #guests()} without appearing in {@link #deleting()} has become.
   * DELETED by default: a source with no other way to announce a deletion (a file removed).
   */
  default Departure unlistedDeparture() {
    return Departure.DELETED;
  }

  /**
   * Whether {@link #guests()} reflects a complete list from the source. Until it does (the API
   * server is down, or its first list is slow) the agent stops nothing for want of a guest.
   */
  default boolean synced() {
    return true;
  }

  /** Calls {@code onChange} whenever the set or a guest changes (the agent then re-reads {@link #guests()}). */
  void start(Runnable onChange);

  @Override
  void close();
}
