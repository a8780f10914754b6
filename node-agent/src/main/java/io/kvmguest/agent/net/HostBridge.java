package io.kvmguest.agent.net;

/** Brings the node's guest bridge to what its {@link NetworkMode} wants. Safe to call repeatedly. */
public interface HostBridge {

  /** Reads the host, changes what differs, and says whether taps can be attached and used. */
  BridgeStatus ensure();

  /** Undoes what {@link #ensure()} created; a no-op for modes that create nothing. */
  default void teardown() {}
}
