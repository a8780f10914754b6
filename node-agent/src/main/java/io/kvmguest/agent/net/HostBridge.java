package io.kvmguest.agent.net;

/** Brings the node's guest bridge to what its {@link NetworkMode} wants. Safe to call repeatedly. */
public interface HostBridge {

  /** Reads the host, changes what differs, and says whether taps can be attached and used. */
  BridgeStatus ensure();

  /**
   * Checks what {@link #ensure()} set up and puts back only what went missing since (a bridge
   * deleted or set down, its address removed, a dead dnsmasq, flushed rules); empty when all is in
   * place. Meant to run periodically ({@link NetworkWatchdog}); a mode that owns nothing repairs nothing.
   */
  NetworkRepair repair();

  /** Undoes what {@link #ensure()} created; a no-op for modes that create nothing. */
  default void teardown() {}
}
