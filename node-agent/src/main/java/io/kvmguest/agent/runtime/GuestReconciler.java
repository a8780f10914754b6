package io.kvmguest.agent.runtime;

import io.kvmguest.agent.disk.GuestRef;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.supervise.GuestControl;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.validation.Quantities;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One guest's work: make its qemu match its spec and run strategy, follow qemu's run state, and
 * report status and Events. Not thread-safe: its {@link GuestWorker} makes every call on the
 * guest's own thread, so one guest's slow step (a download, a 30 s ACPI grace) never holds up another.
 */
final class GuestReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(GuestReconciler.class);

  private final GuestServices s;
  private final GuestState state;
  private final StatusOutbox outbox;
  private final SentStatus sent = new SentStatus();
  private final Optional<GuestRecord> adopted;

  /** {@code adopted}: the record of this guest's qemu found running when the agent started; see {@link #adopt}. */
  GuestReconciler(GuestServices services, StatusOutbox outbox, VirtualGuest guest, Optional<GuestRecord> adopted) {
    this.s = services;
    this.outbox = outbox;
    this.adopted = adopted;
    this.state = new GuestState(guest, GuestIdentity.uid(guest));
    state.history = s.histories().load(state.uid);
    state.seenAt = now();
  }

  /**
   * Takes over the adopted qemu, if it still runs (its taps plugged again): the guest's first
   * step, on its own thread, so adopting many guests is not one after another on the agent's.
   */
  void adopt() {
    adopted.filter(r -> s.supervisor().isRunning(r.uid())).ifPresent(this::takeOver);
  }

  /** Brings the guest in line with {@code guest} (its latest spec and annotations), then reports. */
  void converge(VirtualGuest guest) {
    state.guest = guest;
    followRunState();
    decide();
    report();
  }

  /**
   * Its qemu exited without the agent asking: counts towards the run strategy and the crash
   * backoff; with {@code restart}, the guest is started again if its run strategy says so.
   */
  void exited(ExitInbox.Exit exit, boolean restart) {
    s.launcher().release(exit.record());
    s.supervisor().forget(exit.record().uid());
    Instant now = now();
    state.history = state.history.afterExit(exit.byGuest());
    s.histories().save(state.uid, state.history);
    state.backoff = state.backoff.afterExit(Duration.between(state.qemuStartedAt, now), now);
    state.record = Optional.empty();
    state.runningSpec = Optional.empty();
    state.pausedAs = Optional.empty();
    state.phase = RunPolicy.restingPhase(spec().runStrategy(), state.history);
    if (exit.byGuest()) {
      event(GuestEvents.NORMAL, ClusterContract.EVENT_STOPPED, "the guest powered itself off");
    } else {
      event(GuestEvents.WARNING, ClusterContract.EVENT_CRASHED, "qemu (pid " + exit.record().pid() + ") exited without the guest powering off");
    }
    LOG.info("{} exited ({})", key(), exit.byGuest() ? "powered off by the guest" : "qemu died");
    if (restart) {
      converge(state.guest);
    } else {
      report();
    }
  }

  /** The agent shuts down without keeping guests: power this one off. */
  void stopForShutdown() {
    if (s.supervisor().isRunning(state.uid)) {
      stop("Stopped", "the node agent shut down");
      report();
    }
  }

  /** The guest was deleted: stop it, remove what it has on this node, then release its finalizer. */
  void delete(VirtualGuest guest) {
    state.guest = guest;
    LOG.info("{} was deleted: stopping it and removing what it had on this node", key());
    if (s.supervisor().isRunning(state.uid)) {
      stop("Stopped", "the guest was deleted");
    }
    if (!"true".equals(annotations().get(ClusterContract.KEEP_DISKS_ANNOTATION))) {
      s.disks().deleteGuestStorage(new GuestRef(GuestIdentity.namespace(guest), guest.getMetadata().getName(), state.uid));
    }
    s.histories().delete(state.uid);
    s.launcher().removeRunDir(state.uid);
    outbox.releaseFinalizer(guest);
  }

  /**
   * The guest is no longer this node's to run (relabelled or placed elsewhere), though not deleted:
   * stop its qemu but keep its disks and history, so a guest moved back, or moved away by mistake,
   * loses no data. Its finalizer is not touched: it guards the cleanup wherever the guest is deleted.
   */
  void moveAway() {
    LOG.info("{} is no longer assigned to this node: stopping it, keeping its disks", key());
    if (s.supervisor().isRunning(state.uid)) {
      stop("Stopped", "the guest is no longer assigned to this node");
    }
    s.launcher().removeRunDir(state.uid);
  }

  GuestView view() {
    VirtualGuest guest = state.guest;
    Map<String, String> macs = GuestNics.macs(guest, state.uid);
    Map<String, String> tapNames = GuestNics.taps(guest, state.uid, s.defaultBridge());
    List<GuestView.Nic> nics = spec().interfaces().stream()
        .map(nic -> new GuestView.Nic(nic.name(), nic.model(), macs.get(nic.name()), Optional.ofNullable(tapNames.get(nic.name()))))
        .toList();
    Optional<Long> pid = s.supervisor().isRunning(state.uid) ? state.record.map(GuestRecord::pid) : Optional.empty();
    return new GuestView(state.uid, GuestIdentity.namespace(guest), guest.getMetadata().getName(), state.phase, pid,
        spec().cpus(), Quantities.byteCount(spec().memory()), pid.isPresent() ? state.accelerator : "", nics);
  }

  private void takeOver(GuestRecord record) {
    state.record = Optional.of(record);
    // started before this agent: neither its start nor its boot is timed here
    state.everStarted = true;
    state.bootObserved = true;
    state.phase = "Running";
    state.accelerator = argAfter(record.argv(), "-accel");
    state.runningSpec = Optional.ofNullable(record.specDigest());
    state.taps = spec().interfaces().stream()
        .filter(nic -> GuestNics.bridgeOf(nic, s.defaultBridge()).isPresent())
        .map(nic -> s.taps().plug(GuestNics.taps(state.guest, state.uid, s.defaultBridge()).get(nic.name()),
            GuestNics.bridgeOf(nic, s.defaultBridge()).get()))
        .toList();
  }

  /** qemu pauses a guest by itself (a disk I/O error, a full disk): show it, and show it again when it runs on. */
  private void followRunState() {
    Optional<GuestControl> control = s.supervisor().isRunning(state.uid) ? s.supervisor().control(state.uid) : Optional.empty();
    if (control.isEmpty()) {
      return;
    }
    String runState;
    try {
      runState = control.get().runState();
    } catch (RuntimeException e) {
      return; // a monitor that does not answer tells nothing about the guest: keep what was known
    }
    boolean paused = !"running".equals(runState) && !"shutdown".equals(runState);
    if (paused && state.pausedAs.isEmpty()) {
      state.pausedAs = Optional.of(runState);
      state.phase = "Paused";
      event(GuestEvents.WARNING, ClusterContract.EVENT_PAUSED, "qemu paused the guest: " + runState);
    } else if (!paused && state.pausedAs.isPresent()) {
      state.pausedAs = Optional.empty();
      state.phase = "Running";
      event(GuestEvents.NORMAL, ClusterContract.EVENT_RESUMED, "the guest runs again");
    }
  }

  private void decide() {
    boolean running = s.supervisor().isRunning(state.uid);
    boolean wanted = RunPolicy.shouldRun(spec().runStrategy(), annotations(), state.history);
    if (!wanted && !state.everStarted) {
      state.seenAt = now(); // a guest kept stopped at first: its start is timed from when it is wanted
    }
    if (running && wanted && state.record.isPresent()
        && RunPolicy.restartRequested(annotations(), state.record.get().restartRequest())) {
      LOG.info("{}: restart requested ({})", key(), RunPolicy.restartRequest(annotations()));
      stop("Stopping", "restart requested (" + RunPolicy.restartRequest(annotations()) + ")");
      running = false;
    }
    state.waitingToRestart = false;
    if (running && !wanted) {
      stop(RunPolicy.restingPhase(spec().runStrategy(), state.history), "its run strategy or power state says stopped");
    } else if (!running && wanted) {
      String specText = String.valueOf(spec());
      boolean blocked = state.failurePermanent && specText.equals(state.failedSpec);
      if (!blocked && state.backoff.mayStart(now())) {
        tryStart(specText);
      }
      state.waitingToRestart = !blocked && !s.supervisor().isRunning(state.uid);
      if (state.waitingToRestart && state.backoff.crashLooping() && state.failure.isEmpty()) {
        state.phase = "Failed";
      }
    } else if (!running && state.failure.isEmpty()) {
      state.phase = RunPolicy.restingPhase(spec().runStrategy(), state.history);
    }
  }

  private void tryStart(String specText) {
    state.phase = "Starting";
    report();
    try {
      GuestLauncher.Started started = s.launcher().start(state.guest);
      state.record = Optional.of(started.record());
      state.runningSpec = Optional.ofNullable(started.record().specDigest());
      state.accelerator = started.accelerator().accelerator().name().toLowerCase();
      state.acceleratorNote = started.accelerator().condition().map(c -> c.message());
      state.taps = started.taps();
      state.vncProblem = started.vncProblem();
      state.failure = Optional.empty();
      state.failurePermanent = false;
      state.backoff = state.backoff.afterStart();
      state.pausedAs = Optional.empty();
      state.phase = "Running";
      Instant now = now();
      if (state.everStarted) {
        tell("restart", () -> s.observer().restarted(state.uid));
        event(GuestEvents.NORMAL, ClusterContract.EVENT_RESTARTED, "qemu started again (pid " + started.record().pid() + ")");
      } else {
        Duration sinceAssigned = Duration.between(state.seenAt, now);
        tell("start", () -> s.observer().started(state.uid, sinceAssigned));
        event(GuestEvents.NORMAL, ClusterContract.EVENT_STARTED, "qemu started (pid " + started.record().pid() + ", " + state.accelerator + ")");
      }
      state.everStarted = true;
      state.qemuStartedAt = now;
      state.bootObserved = false;
    } catch (GuestStartException e) {
      LOG.warn("{} did not start: {} {}", key(), e.reason(), e.getMessage());
      boolean again = state.failure.map(f -> f.message().equals(e.getMessage())).orElse(false);
      state.failure = Optional.of(new GuestState.Failure(e.reason(), e.getMessage()));
      state.failurePermanent = e.permanent();
      state.failedSpec = specText;
      state.backoff = state.backoff.afterFailure(now());
      state.phase = "Failed";
      if (!again) {
        event(GuestEvents.WARNING, ClusterContract.EVENT_START_FAILED, e.reason() + ": " + e.getMessage());
      }
    }
  }

  private void stop(String restingPhase, String why) {
    state.phase = "Stopping";
    report();
    s.supervisor().stop(state.uid, s.stopGrace());
    s.supervisor().record(state.uid).ifPresent(s.launcher()::release);
    s.supervisor().forget(state.uid);
    state.record = Optional.empty();
    state.runningSpec = Optional.empty();
    state.pausedAs = Optional.empty();
    state.phase = restingPhase;
    event(GuestEvents.NORMAL, ClusterContract.EVENT_STOPPED, "qemu stopped: " + why);
  }

  private void report() {
    Instant now = now();
    VirtualGuestStatus status = StatusComposer.compose(state, GuestNics.macs(state.guest, state.uid), s.defaultBridge(),
        s.vncListen(), s.ipOfMac(), sent.lastConditions(), now);
    if (!state.bootObserved && "Running".equals(status.phase())
        && status.interfaces().stream().anyMatch(nic -> nic.ipAddress() != null)) {
      state.bootObserved = true;
      Duration sinceStart = Duration.between(state.qemuStartedAt, now);
      tell("boot", () -> s.observer().booted(state.uid, sinceStart));
    }
    if (sent.due(status, now)) {
      outbox.status(state.guest, status);
      sent.sent(status, now);
    }
  }

  private void event(String type, String reason, String message) {
    try {
      s.events().record(state.guest, type, reason, message);
    } catch (RuntimeException e) {
      LOG.warn("{}: event {} not recorded: {}", key(), reason, e.toString());
    }
  }

  private void tell(String what, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("agent observer failed on {}", what, e);
    }
  }

  private io.kvmguest.api.v1alpha1.VirtualGuestSpec spec() {
    return state.guest.getSpec();
  }

  private Map<String, String> annotations() {
    Map<String, String> a = state.guest.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private String key() {
    return GuestIdentity.key(state.guest);
  }

  private Instant now() {
    return Instant.now(s.clock());
  }

  private static String argAfter(List<String> argv, String option) {
    int i = argv.indexOf(option);
    return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : null;
  }
}
