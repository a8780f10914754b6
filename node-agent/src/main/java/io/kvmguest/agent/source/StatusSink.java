package io.kvmguest.agent.source;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;

/** Where the agent reports the fields of a guest's status that it owns. */
public interface StatusSink {
  void report(VirtualGuest guest, VirtualGuestStatus agentOwnedStatus);

  /** The guest is cleaned up on this node: let the API server finish deleting it (the agent's finalizer goes). */
  void releaseFinalizer(VirtualGuest guest);
}
