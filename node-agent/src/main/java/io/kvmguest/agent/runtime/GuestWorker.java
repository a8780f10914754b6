package io.kvmguest.agent.runtime;

import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of one guest: runs its {@link GuestReconciler} one step at a time, apart from every
 * other guest. Requests to converge coalesce (only the latest spec matters), so a guest busy with
 * a long step is not handed a backlog; exits, stops and the deletion are each run once, in order.
 * The thread ends with the guest ({@link #delete}) or with the agent ({@link #close}).
 */
final class GuestWorker {
  private static final Logger LOG = LoggerFactory.getLogger(GuestWorker.class);

  private final ExecutorService thread;
  private final GuestReconciler reconciler;
  private final AtomicReference<VirtualGuest> latest;
  private final AtomicBoolean convergeQueued = new AtomicBoolean();
  /** Set by a stop for shutdown or the deletion: no converge may start the guest again after it. */
  private volatile boolean ending;
  /** The guest as of its last step, for other threads (metrics); replaced whole, never mutated. */
  private volatile GuestView view;

  GuestWorker(GuestServices services, StatusOutbox outbox, VirtualGuest guest, Optional<GuestRecord> adopted) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "guest " + GuestIdentity.key(guest));
      t.setDaemon(true);
      return t;
    });
    this.latest = new AtomicReference<>(guest);
    this.reconciler = new GuestReconciler(services, outbox, guest, adopted);
    this.view = reconciler.view();
    if (adopted.isPresent()) {
      run("adopt", reconciler::adopt); // before any other step of this guest
    }
  }

  /** Asks for a step towards {@code guest}; a request still waiting is replaced, not added to. */
  void converge(VirtualGuest guest) {
    latest.set(guest);
    if (!ending && convergeQueued.compareAndSet(false, true)) {
      run("converge", () -> {
        convergeQueued.set(false);
        if (!ending) {
          reconciler.converge(latest.get());
        }
      });
    }
  }

  void exited(ExitInbox.Exit exit) {
    run("exit", () -> reconciler.exited(exit, !ending));
  }

  /** Powers the guest off (the agent shuts down); done when the future completes. Nothing starts it again. */
  CompletableFuture<Void> stop() {
    ending = true;
    return run("stop", reconciler::stopForShutdown);
  }

  /** Stops and cleans up the deleted guest, then ends the thread. */
  CompletableFuture<Void> delete(VirtualGuest guest) {
    ending = true;
    CompletableFuture<Void> done = run("delete", () -> reconciler.delete(guest));
    thread.shutdown();
    return done;
  }

  /** Stops the guest that moved away from this node, keeping its disks, then ends the thread. */
  CompletableFuture<Void> moveAway() {
    ending = true;
    CompletableFuture<Void> done = run("move away", reconciler::moveAway);
    thread.shutdown();
    return done;
  }

  GuestView view() {
    return view;
  }

  /** The guest as last handed to {@link #converge}. */
  VirtualGuest guest() {
    return latest.get();
  }

  /** Ends the thread once what is queued has run; the guest's qemu is left as it is. */
  void close() {
    ending = true;
    thread.shutdown();
  }

  private CompletableFuture<Void> run(String what, Runnable step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        try {
          step.run();
        } catch (RuntimeException e) {
          LOG.error("{} of {} failed", what, view.namespace() + "/" + view.name(), e);
        } finally {
          view = reconciler.view();
          done.complete(null);
        }
      });
    } catch (RejectedExecutionException closed) {
      done.complete(null); // the guest was deleted or the agent closes: nothing more to do for it
    }
    return done;
  }
}
