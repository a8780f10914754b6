package io.kvmguest.agent.runtime;

import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestSupervisor;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Exits reported by the supervisor's thread, handed to the agent's loop thread: the supervisor
 * is built before the agent, so it gets this inbox rather than the agent itself.
 */
public final class ExitInbox implements GuestSupervisor.ExitListener {
  /** One qemu exit the agent did not ask for. */
  public record Exit(GuestRecord record, boolean byGuest) {}

  private final Queue<Exit> exits = new ConcurrentLinkedQueue<>();
  private volatile Runnable wakeup = () -> {};

  @Override
  public void exited(GuestRecord record, boolean guestShutdown) {
    exits.add(new Exit(record, guestShutdown));
    wakeup.run();
  }

  void onArrival(Runnable wakeup) {
    this.wakeup = wakeup;
  }

  Exit poll() {
    return exits.poll();
  }
}
