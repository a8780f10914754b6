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
