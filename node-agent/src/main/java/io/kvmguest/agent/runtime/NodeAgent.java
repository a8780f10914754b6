package io.kvmguest.agent.runtime;

import io.kvmguest.agent.net.NetworkRepair;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: hands each guest on this node to a {@link GuestWorker} of its own and keeps the
 * set of workers in line with the guest list. Its own thread only dispatches (woken by guest
 * changes, qemu exits and a 1 s tick for retries, run states and addresses); every start, stop,
 * download and status write happens on the guest's worker or the status writers, so no guest
 * waits for another and none waits for the API server.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
  private static final int STATUS_WRITERS = 4;

  private final GuestSource source;
  private final GuestServices services;
  private final ExitInbox exits;
  private final StatusOutbox outbox;
  /** Written by the dispatch thread only; read by others (views). */
  private final Map<String, GuestWorker> workers = new ConcurrentHashMap<>();
  /**
   * Deletions and move-aways in progress or done, until the guest leaves the source's list of guests
   * being deleted; a guest is not started again while its departure is in progress.
   */
  private final Map<String, CompletableFuture<Void>> deletions = new LinkedHashMap<>();
  /** Guests found running at start, matched to their guests as those appear. */
  private List<GuestRecord> adopted = List.of();
  private boolean orphansChecked;
  /** Set on the loop thread by {@link #close}: no step is handed to a worker after it. */
  private boolean closing;
  private boolean waitingForSyncLogged;
  /** Why the last network check could not repair the host network; empty when it could or had nothing to do. */
  private volatile Optional<String> networkFailure = Optional.empty();
  /** Set once the loop is scheduled: what the agent's /healthz reports, with the loop not shut down. */
  private volatile boolean started;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-agent");
    t.setDaemon(true);
    return t;
  });

  public NodeAgent(GuestSource source, GuestServices services, ExitInbox exits) {
    this.source = source;
    this.services = services;
    this.exits = exits;
    this.outbox = new StatusOutbox(services.sink(), services.clock(), STATUS_WRITERS);
  }

  /** Adopts what a previous agent left, cleans up what belongs to no guest, then starts dispatching. */
  public void start() {
    services.supervisor().start();
    runOnLoop(this::adoptAndClean);
    exits.onArrival(this::wake);
    source.start(this::wake);
    loop.scheduleWithFixedDelay(this::dispatchSafely, 1, 1, TimeUnit.SECONDS);
    wake(); // the source has its first list already: adopted guests are reported now, not at the first tick
    started = true;
  }

  /** The guests as of each one's last step: a cheap read for any thread, never blocked by their work. */
  public List<GuestView> guestViews() {
    return workers.values().stream().map(GuestWorker::view).toList();
  }

  /** Whether the agent dispatches: started and not closed. */
  public boolean isRunning() {
    return started && !loop.isShutdown();
  }

  /**
   * Why the agent is not fully doing its job, for the node's report; empty when it is. The guests
   * keep running either way: this is for the admin and the operator, not a reason to stop anything.
   */
  public Optional<String> degraded() {
    List<String> problems = new ArrayList<>();
    if (started && !source.synced()) {
      problems.add("the guest list is not complete (API server unreachable?)");
    }
    networkFailure.ifPresent(problems::add);
    Map<String, String> failing = outbox.failures();
    if (!failing.isEmpty()) {
      problems.add("status of " + failing.size() + " guest(s) not written: " + failing.values().iterator().next());
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /**
   * The network watchdog checked the host network ({@code what}): a repair is recorded as an Event on
   * every running guest with a NIC on that bridge; a repair that failed makes the agent degraded
   * until a later check succeeds.
   */
  public void networkRepaired(NetworkRepair what) {
    networkFailure = what.failure().map(f -> "network " + what.bridge() + ": " + f);
    if (what.repaired().isEmpty()) {
      return;
    }
    LOG.warn("{}", what.summary());
    for (GuestWorker worker : workers.values()) {
      VirtualGuest guest = worker.guest();
      boolean onBridge = guest.getSpec().interfaces().stream()
          .anyMatch(nic -> GuestNics.bridgeOf(nic, services.defaultBridge()).filter(what.bridge()::equals).isPresent());
      if (onBridge && worker.view().running()) {
        services.events().record(guest, GuestEvents.WARNING, ClusterContract.EVENT_NETWORK_REPAIRED, what.summary());
      }
    }
  }

  /**
   * Stops dispatching; without {@code keepGuests} every guest is powered off first, all at once,
   * so shutting down N guests takes one grace period, not N.
   */
  public void close(boolean keepGuests) {
    source.close();
    List<CompletableFuture<Void>> pending = new ArrayList<>();
    runOnLoop(() -> {
      // the 1 s tick and exit wake-ups keep running while the guests stop: a converge handed to a
      // worker after its stop would start the guest again
      closing = true;
      if (!keepGuests) {
        workers.values().forEach(w -> pending.add(w.stop()));
      }
      pending.addAll(deletions.values());
    });
    awaitAll(pending, services.stopGrace().plusSeconds(20));
    loop.shutdownNow();
    workers.values().forEach(GuestWorker::close);
    awaitStatusWritten(Duration.ofSeconds(5));
    outbox.close();
    services.supervisor().close();
  }

  @Override
  public void close() {
    close(false);
  }

  private void wake() {
    try {
      loop.execute(this::dispatchSafely);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the agent is shutting down
    }
  }

  private void runOnLoop(Runnable work) {
    try {
      loop.submit(work).get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("node agent loop: " + e.getMessage(), e);
    }
  }

  private void adoptAndClean() {
    GuestSupervisor supervisor = services.supervisor();
    GuestSupervisor.Adoption adoption = supervisor.adoptAll();
    Set<String> keptTaps = new HashSet<>();
    for (GuestRecord record : adoption.adopted()) {
      keptTaps.addAll(record.taps());
      services.launcher().adopted(record);
      LOG.info("adopted {} (pid {})", record.key(), record.pid());
    }
    for (GuestRecord record : adoption.stale()) {
      LOG.info("cleaning up after {}: its qemu is gone", record.key());
      services.launcher().release(record);
      supervisor.forget(record.uid());
    }
    for (String tap : services.taps().ourTaps()) {
      if (!keptTaps.contains(tap)) {
        LOG.info("removing orphan tap {}", tap);
        services.taps().unplug(tap);
      }
    }
    adopted = adoption.adopted();
  }

  private void dispatchSafely() {
    try {
      dispatch();
    } catch (RuntimeException e) {
      LOG.error("dispatch failed", e);
    }
  }

  private void dispatch() {
    if (closing) {
      return;
    }
    for (ExitInbox.Exit exit = exits.poll(); exit != null; exit = exits.poll()) {
      GuestWorker worker = workers.get(exit.record().uid());
      if (worker != null) {
        worker.exited(exit);
      } else {
        services.launcher().release(exit.record());
        services.supervisor().forget(exit.record().uid());
      }
    }
    Map<String, VirtualGuest> desired = new LinkedHashMap<>();
    for (VirtualGuest guest : source.guests()) {
      desired.put(GuestIdentity.uid(guest), guest);
    }
    Map<String, VirtualGuest> leaving = new LinkedHashMap<>();
    for (VirtualGuest guest : source.deleting()) {
      leaving.put(GuestIdentity.uid(guest), guest);
    }
    for (String uid : List.copyOf(workers.keySet())) {
      if (!desired.containsKey(uid)) {
        deletions.put(uid, depart(workers.remove(uid), leaving.get(uid)));
      }
    }
    for (Map.Entry<String, VirtualGuest> entry : desired.entrySet()) {
      CompletableFuture<Void> departing = deletions.get(entry.getKey());
      if (departing != null && !departing.isDone()) {
        continue; // moved away and back: its old worker is still stopping it; the next tick starts it anew
      }
      workers.computeIfAbsent(entry.getKey(), uid -> new GuestWorker(services, outbox, entry.getValue(), adoptedRecord(uid)))
          .converge(entry.getValue());
    }
    for (Map.Entry<String, VirtualGuest> entry : leaving.entrySet()) {
      if (!desired.containsKey(entry.getKey()) && !deletions.containsKey(entry.getKey())) {
        // deleted while no agent was watching
        GuestWorker worker = new GuestWorker(services, outbox, entry.getValue(), adoptedRecord(entry.getKey()));
        deletions.put(entry.getKey(), worker.delete(entry.getValue()));
      }
    }
    deletions.entrySet().removeIf(d -> d.getValue().isDone() && !leaving.containsKey(d.getKey()));
    stopOrphansOnce(desired.keySet());
  }

  /**
   * A guest left the list: deleted when the source says so ({@code deleting} non-null), else what
   * the source says an unlisted guest has become. For the Kubernetes source that is "moved away":
   * a relabelled guest must never lose its disks.
   */
  private CompletableFuture<Void> depart(GuestWorker worker, VirtualGuest deleting) {
    if (deleting != null) {
      return worker.delete(deleting);
    }
    return switch (source.unlistedDeparture()) {
      case DELETED -> worker.delete(worker.guest());
      case MOVED_AWAY -> worker.moveAway();
    };
  }

  private Optional<GuestRecord> adoptedRecord(String uid) {
    return adopted.stream().filter(r -> r.uid().equals(uid)).findFirst();
  }

  /**
   * After the first full view of this node's guests, a qemu adopted at start whose guest no
   * longer exists at all (deleted while the agent was down) is stopped and released, all such qemus
   * at once. Their disks stay: without the guest object the keep-disks choice is unknown. Not before
   * the source has listed every guest: an agent that starts while the API server is down sees no
   * guests, and must not take that for "every guest was deleted".
   */
  private void stopOrphansOnce(Set<String> desired) {
    if (orphansChecked) {
      return;
    }
    if (!source.synced()) {
      if (!adopted.isEmpty() && !waitingForSyncLogged) {
        LOG.info("the guest list is not complete yet: the {} adopted guests keep running until it is", adopted.size());
        waitingForSyncLogged = true;
      }
      return;
    }
    orphansChecked = true;
    GuestSupervisor supervisor = services.supervisor();
    List<GuestRecord> orphans = adopted.stream()
        .filter(r -> !desired.contains(r.uid()) && !workers.containsKey(r.uid()) && !deletions.containsKey(r.uid())
            && supervisor.isRunning(r.uid()))
        .toList();
    if (orphans.isEmpty()) {
      return;
    }
    ExecutorService stoppers = Executors.newFixedThreadPool(orphans.size(), r -> {
      Thread t = new Thread(r, "orphan-stop");
      t.setDaemon(true);
      return t;
    });
    for (GuestRecord record : orphans) {
      stoppers.execute(() -> {
        LOG.info("{} belongs to no guest any more: stopping it (its disks are kept)", record.key());
        supervisor.stop(record.uid(), services.stopGrace());
        services.launcher().release(record);
        supervisor.forget(record.uid());
      });
    }
    stoppers.shutdown(); // its threads end with the stops
  }

  private void awaitStatusWritten(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!outbox.idle() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void awaitAll(List<CompletableFuture<Void>> work, Duration timeout) {
    try {
      CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      LOG.warn("not every guest finished stopping within {} s: {}", timeout.toSeconds(), e.toString());
    }
  }
}
