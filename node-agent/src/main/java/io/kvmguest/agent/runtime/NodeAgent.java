package io.kvmguest.agent.runtime;

import io.kvmguest.agent.disk.DiskPreparer;
import io.kvmguest.agent.disk.GuestRef;
import io.kvmguest.agent.net.TapDevices;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.validation.Quantities;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent's loop: makes the guests on this node match their specs and run strategies,
 * and reports their status. One thread does all the work, woken by guest changes, qemu exits and
 * a periodic tick (retries and IP addresses).
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);

  private final GuestSource source;
  private final StatusSink sink;
  private final GuestLauncher launcher;
  private final GuestSupervisor supervisor;
  private final TapDevices taps;
  private final DiskPreparer disks;
  private final ExitInbox exits;
  private final HistoryStore histories;
  private final Function<String, Optional<String>> ipOfMac;
  private final String defaultBridge;
  private final String vncListen;
  private final Duration stopGrace;
  private final Clock clock;
  private final AgentObserver observer;
  /** The guests as of the last reconcile, for other threads (metrics); replaced whole, never mutated. */
  private volatile List<GuestView> views = List.of();
  private final Map<String, GuestState> guests = new LinkedHashMap<>();
  private final Map<String, VirtualGuestStatus> reported = new LinkedHashMap<>();
  /** Guests found running at start, matched to their guests as those appear. */
  private List<GuestRecord> adopted = List.of();
  private boolean orphansChecked;
  private boolean waitingForSyncLogged;
  /** Set once the loop is scheduled: what the agent's /healthz reports, with the loop not shut down. */
  private volatile boolean started;
  private final Map<String, Instant> reportedAt = new LinkedHashMap<>();
  /** Re-sent this often even when unchanged, so a status someone else overwrote is put right. */
  private static final Duration REPORT_REFRESH = Duration.ofSeconds(30);
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-agent");
    t.setDaemon(true);
    return t;
  });

  public NodeAgent(GuestSource source, StatusSink sink, GuestLauncher launcher, GuestSupervisor supervisor, TapDevices taps,
      DiskPreparer disks, ExitInbox exits, HistoryStore histories, Function<String, Optional<String>> ipOfMac, String defaultBridge,
      String vncListen, Duration stopGrace, Clock clock) {
    this(source, sink, launcher, supervisor, taps, disks, exits, histories, ipOfMac, defaultBridge, vncListen, stopGrace, clock,
        AgentObserver.NONE);
  }

  /** {@code observer}: told about starts, restarts and boots (metrics), on the loop thread. */
  public NodeAgent(GuestSource source, StatusSink sink, GuestLauncher launcher, GuestSupervisor supervisor, TapDevices taps,
      DiskPreparer disks, ExitInbox exits, HistoryStore histories, Function<String, Optional<String>> ipOfMac, String defaultBridge,
      String vncListen, Duration stopGrace, Clock clock, AgentObserver observer) {
    this.observer = observer;
    this.source = source;
    this.sink = sink;
    this.launcher = launcher;
    this.supervisor = supervisor;
    this.taps = taps;
    this.disks = disks;
    this.exits = exits;
    this.histories = histories;
    this.ipOfMac = ipOfMac;
    this.defaultBridge = defaultBridge;
    this.vncListen = vncListen;
    this.stopGrace = stopGrace;
    this.clock = clock;
  }

  /** Adopts what a previous agent left, cleans up what belongs to no guest, then starts the loop. */
  public void start() {
    runOnLoop(this::adoptAndClean);
    exits.onArrival(this::wake);
    source.start(this::wake);
    loop.scheduleWithFixedDelay(this::reconcileSafely, 1, 1, TimeUnit.SECONDS);
    started = true;
  }

  /** The guests as of the last reconcile: a cheap read for any thread, never blocked by the loop's work. */
  public List<GuestView> guestViews() {
    return views;
  }

  /** Whether the reconcile loop runs: started and not closed. */
  public boolean isRunning() {
    return started && !loop.isShutdown();
  }

  /** Stops the loop; with {@code keepGuests} the guests stay up for the next agent to adopt. */
  public void close(boolean keepGuests) {
    source.close();
    runOnLoop(() -> {
      if (!keepGuests) {
        for (GuestState state : List.copyOf(guests.values())) {
          stop(state, "Stopped");
        }
      }
    });
    loop.shutdownNow();
    supervisor.close();
  }

  @Override
  public void close() {
    close(false);
  }

  private void wake() {
    loop.execute(this::reconcileSafely);
  }

  private void runOnLoop(Runnable work) {
    try {
      loop.submit(work).get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      throw new IllegalStateException("node agent loop: " + e.getMessage(), e);
    }
  }

  private void adoptAndClean() {
    GuestSupervisor.Adoption adoption = supervisor.adoptAll();
    Set<String> keptTaps = new HashSet<>();
    for (GuestRecord record : adoption.adopted()) {
      keptTaps.addAll(record.taps());
      launcher.adopted(record);
      LOG.info("adopted {} (pid {})", record.key(), record.pid());
    }
    for (GuestRecord record : adoption.stale()) {
      LOG.info("cleaning up after {}: its qemu is gone", record.key());
      launcher.release(record);
      supervisor.forget(record.uid());
    }
    for (String tap : taps.ourTaps()) {
      if (!keptTaps.contains(tap)) {
        LOG.info("removing orphan tap {}", tap);
        taps.unplug(tap);
      }
    }
    adopted = adoption.adopted();
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      LOG.error("reconcile failed", e);
    }
  }

  private void reconcile() {
    for (ExitInbox.Exit exit = exits.poll(); exit != null; exit = exits.poll()) {
      GuestState state = guests.get(exit.record().uid());
      launcher.release(exit.record());
      supervisor.forget(exit.record().uid());
      if (state != null) {
        state.history = state.history.afterExit(exit.byGuest());
        histories.save(state.uid, state.history);
        state.record = Optional.empty();
        state.phase = RunPolicy.restingPhase(state.guest.getSpec().runStrategy(), state.history);
        LOG.info("{} exited ({})", GuestIdentity.key(state.guest), exit.byGuest() ? "powered off by the guest" : "qemu died");
      }
    }
    Map<String, VirtualGuest> desired = new LinkedHashMap<>();
    for (VirtualGuest guest : source.guests()) {
      desired.put(GuestIdentity.uid(guest), guest);
    }
    for (String uid : List.copyOf(guests.keySet())) {
      if (!desired.containsKey(uid)) {
        delete(guests.remove(uid));
      }
    }
    for (Map.Entry<String, VirtualGuest> entry : desired.entrySet()) {
      GuestState state = guests.computeIfAbsent(entry.getKey(), uid -> newState(entry.getValue(), uid));
      state.guest = entry.getValue();
      converge(state);
      report(state);
    }
    for (VirtualGuest leaving : source.deleting()) {
      String uid = GuestIdentity.uid(leaving);
      if (!guests.containsKey(uid) && !desired.containsKey(uid)) {
        delete(newState(leaving, uid)); // deleted while no agent was watching
      }
    }
    stopOrphansOnce(desired.keySet());
    views = guests.values().stream().map(this::view).toList();
  }

  private GuestView view(GuestState state) {
    VirtualGuest guest = state.guest;
    Map<String, String> macs = GuestNics.macs(guest, state.uid);
    Map<String, String> tapNames = GuestNics.taps(guest, state.uid, defaultBridge);
    List<GuestView.Nic> nics = guest.getSpec().interfaces().stream()
        .map(nic -> new GuestView.Nic(nic.name(), nic.model(), macs.get(nic.name()),
            Optional.ofNullable(tapNames.get(nic.name()))))
        .toList();
    Optional<Long> pid = supervisor.isRunning(state.uid) ? state.record.map(GuestRecord::pid) : Optional.empty();
    return new GuestView(state.uid, GuestIdentity.namespace(guest), guest.getMetadata().getName(), state.phase, pid,
        guest.getSpec().cpus(), Quantities.byteCount(guest.getSpec().memory()), pid.isPresent() ? state.accelerator : "", nics);
  }

  private void tell(String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("agent observer failed on {}", what, e);
    }
  }

  /**
   * After the first full view of this node's guests, a qemu adopted at start whose guest no
   * longer exists at all (deleted while the agent was down) is stopped and released. Its disks
   * stay: without the guest object the keep-disks choice is unknown. Not before the source has
   * listed every guest: an agent that starts while the API server is down sees no guests, and
   * must not take that for "every guest was deleted".
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
    for (GuestRecord record : adopted) {
      if (!desired.contains(record.uid()) && !guests.containsKey(record.uid()) && supervisor.isRunning(record.uid())) {
        LOG.info("{} belongs to no guest any more: stopping it (its disks are kept)", record.key());
        supervisor.stop(record.uid(), stopGrace);
        launcher.release(record);
        supervisor.forget(record.uid());
      }
    }
  }

  private GuestState newState(VirtualGuest guest, String uid) {
    GuestState state = new GuestState(guest, uid);
    state.history = histories.load(uid);
    state.seenAt = Instant.now(clock);
    adopted.stream().filter(r -> r.uid().equals(uid) && supervisor.isRunning(uid)).findFirst().ifPresent(record -> {
      state.record = Optional.of(record);
      // started before this agent: neither its start nor its boot is timed here
      state.everStarted = true;
      state.bootObserved = true;
      state.phase = "Running";
      state.accelerator = argAfter(record.argv(), "-accel");
      state.taps = relinkTaps(guest, uid);
    });
    return state;
  }

  private List<io.kvmguest.agent.net.TapStatus> relinkTaps(VirtualGuest guest, String uid) {
    return guest.getSpec().interfaces().stream()
        .filter(nic -> GuestNics.bridgeOf(nic, defaultBridge).isPresent())
        .map(nic -> taps.plug(GuestNics.taps(guest, uid, defaultBridge).get(nic.name()), GuestNics.bridgeOf(nic, defaultBridge).get()))
        .toList();
  }

  private void converge(GuestState state) {
    VirtualGuest guest = state.guest;
    boolean running = supervisor.isRunning(state.uid);
    boolean wanted = RunPolicy.shouldRun(guest.getSpec().runStrategy(), annotations(guest), state.history);
    if (!wanted && !state.everStarted) {
      state.seenAt = Instant.now(clock); // a guest kept stopped at first: its start is timed from when it is wanted
    }
    if (running && wanted && state.record.isPresent()
        && RunPolicy.restartRequested(annotations(guest), state.record.get().restartRequest())) {
      LOG.info("{}: restart requested ({})", GuestIdentity.key(guest), RunPolicy.restartRequest(annotations(guest)));
      stop(state, "Stopping");
      running = false;
    }
    if (running && !wanted) {
      stop(state, RunPolicy.restingPhase(guest.getSpec().runStrategy(), state.history));
    } else if (!running && wanted) {
      String spec = String.valueOf(guest.getSpec());
      boolean blocked = state.failurePermanent && spec.equals(state.failedSpec);
      if (!blocked && !Instant.now(clock).isBefore(state.retryAt)) {
        tryStart(state, spec);
      }
    } else if (!running && state.failure.isEmpty()) {
      state.phase = RunPolicy.restingPhase(guest.getSpec().runStrategy(), state.history);
    }
  }

  private void tryStart(GuestState state, String spec) {
    state.phase = "Starting";
    report(state);
    try {
      GuestLauncher.Started started = launcher.start(state.guest);
      state.record = Optional.of(started.record());
      state.accelerator = started.accelerator().accelerator().name().toLowerCase();
      state.acceleratorNote = started.accelerator().condition().map(c -> c.message());
      state.taps = started.taps();
      state.vncProblem = started.vncProblem();
      state.failure = Optional.empty();
      state.failurePermanent = false;
      state.consecutiveFailures = 0;
      state.phase = "Running";
      Instant now = Instant.now(clock);
      if (state.everStarted) {
        tell("restart", () -> observer.restarted(state.uid));
      } else {
        Duration sinceAssigned = Duration.between(state.seenAt, now);
        tell("start", () -> observer.started(state.uid, sinceAssigned));
      }
      state.everStarted = true;
      state.qemuStartedAt = now;
      state.bootObserved = false;
    } catch (GuestStartException e) {
      LOG.warn("{} did not start: {} {}", GuestIdentity.key(state.guest), e.reason(), e.getMessage());
      state.failure = Optional.of(new GuestState.Failure(e.reason(), e.getMessage()));
      state.failurePermanent = e.permanent();
      state.failedSpec = spec;
      state.consecutiveFailures++;
      long backoff = Math.min(60, 1L << Math.min(6, state.consecutiveFailures - 1));
      state.retryAt = Instant.now(clock).plusSeconds(backoff);
      state.phase = "Failed";
    }
  }

  private void stop(GuestState state, String restingPhase) {
    state.phase = "Stopping";
    report(state);
    supervisor.stop(state.uid, stopGrace);
    supervisor.record(state.uid).ifPresent(launcher::release);
    supervisor.forget(state.uid);
    state.record = Optional.empty();
    state.phase = restingPhase;
  }

  private void delete(GuestState state) {
    LOG.info("{} was deleted: stopping it and removing what it had on this node", GuestIdentity.key(state.guest));
    if (supervisor.isRunning(state.uid)) {
      stop(state, "Stopped");
    }
    if (!"true".equals(annotations(state.guest).get(ClusterContract.KEEP_DISKS_ANNOTATION))) {
      disks.deleteGuestStorage(new GuestRef(GuestIdentity.namespace(state.guest), state.guest.getMetadata().getName(), state.uid));
    }
    sink.forget(state.guest);
    histories.delete(state.uid);
    reported.remove(state.uid);
    reportedAt.remove(state.uid);
  }

  private void report(GuestState state) {
    VirtualGuestStatus previous = reported.get(state.uid);
    VirtualGuestStatus status = StatusComposer.compose(state, GuestNics.macs(state.guest, state.uid), defaultBridge, vncListen,
        ipOfMac, previous == null ? List.of() : previous.conditions(), Instant.now(clock));
    Instant now = Instant.now(clock);
    if (!state.bootObserved && "Running".equals(status.phase())
        && status.interfaces().stream().anyMatch(nic -> nic.ipAddress() != null)) {
      state.bootObserved = true;
      Duration sinceStart = Duration.between(state.qemuStartedAt, now);
      tell("boot", () -> observer.booted(state.uid, sinceStart));
    }
    Instant last = reportedAt.get(state.uid);
    if (!status.equals(previous) || last == null || now.isAfter(last.plus(REPORT_REFRESH))) {
      sink.report(state.guest, status);
      reported.put(state.uid, status);
      reportedAt.put(state.uid, now);
    }
  }

  private static Map<String, String> annotations(VirtualGuest guest) {
    Map<String, String> a = guest.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static String argAfter(List<String> argv, String option) {
    int i = argv.indexOf(option);
    return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
  }
}
