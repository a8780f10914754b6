package io.kvmguest.agent.runtime;

import java.time.Duration;

/**
 * Told by the agent's loop about guest lifecycle moments (metrics). Called on the loop thread: an
 * implementation must return at once. Guests are identified by uid.
 */
public interface AgentObserver {
  AgentObserver NONE = new AgentObserver() {};

  /** The first qemu of a guest started, {@code sinceAssigned} after the agent first saw the guest. */
  default void started(String uid, Duration sinceAssigned) {}

  /** A guest's qemu started again, after an exit or a restart request. */
  default void restarted(String uid) {}

  /** A qemu's first verified IP address reached status, {@code sinceQemuStart} after it started. */
  default void booted(String uid, Duration sinceQemuStart) {}
}
