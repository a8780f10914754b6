package io.kvmguest.agent.supervise;

import io.kvmguest.agent.cgroup.GuestCgroups;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches, watches, stops and adopts qemu processes. A guest that dies is noticed by a poll of
 * its pid (every {@code pollInterval}) or at once when its monitor connection drops.
 */
public final class GuestSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GuestSupervisor.class);

  /** Told when a watched guest's qemu is gone without the agent stopping it. */
  public interface ExitListener {
    /** {@code guestShutdown}: the guest OS powered itself off; otherwise qemu crashed or was killed. */
    void exited(GuestRecord record, boolean guestShutdown);
  }

  private record Watched(GuestRecord record, Optional<GuestControl> control) {}

  private final GuestRecordStore store;
  private final QemuLauncher launcher;
  private final GuestCgroups cgroups;
  private final ProcessTable processes;
  private final GuestControl.Factory controls;
  private final Clock clock;
  private final ExitListener listener;
  private final Map<String, Watched> running = new ConcurrentHashMap<>();
  private final Map<String, String> unplaced = new ConcurrentHashMap<>();
  private final java.util.Set<String> deferred = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService poller;
  private final Duration pollInterval;

  /** {@code cgroups}: where each qemu is put once it runs, so it outlives the agent's container. */
  public GuestSupervisor(GuestRecordStore store, QemuLauncher launcher, GuestCgroups cgroups, ProcessTable processes,
      GuestControl.Factory controls, Clock clock, Duration pollInterval, ExitListener listener) {
    this.store = store;
    this.launcher = launcher;
    this.cgroups = cgroups;
    this.processes = processes;
    this.controls = controls;
    this.clock = clock;
    this.listener = listener;
    this.pollInterval = pollInterval;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "guest-supervisor-poll");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts watching the pids of the guests it launches or adopts. */
  public void start() {
    poller.scheduleWithFixedDelay(this::checkAll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Records, then launches {@code draft.argv()}. The record exists before qemu does, so a crash
   * between the two leaves a record that adoption cleans up rather than an unknown process. The
   * record keeps qemu's own argv; the launch may wrap it (systemd-run) to start it in its cgroup.
   */
  public GuestRecord launch(GuestRecord draft) {
    if (running.containsKey(draft.uid())) {
      throw new IllegalStateException("guest " + draft.key() + " is already running");
    }
    store.save(draft);
    long pid;
    try {
      pid = launcher.launch(cgroups.wrapLaunch(draft.uid(), draft.argv()), Path.of(draft.pidFile()));
    } catch (RuntimeException e) {
      store.delete(draft.uid());
      throw e;
    }
    GuestRecord record = draft.withPid(pid, Instant.now(clock).toString());
    store.save(record);
    place(record);
    watch(record);
    LOG.info("guest {} started: qemu pid {}", record.key(), pid);
    return record;
  }

  /** Result of adopting at agent start. */
  public record Adoption(List<GuestRecord> adopted, List<GuestRecord> stale) {}

  /**
   * Takes over every recorded qemu that still runs; returns the records whose qemu is gone, for
   * the caller to release their taps and then {@link #forget} them.
   */
  public Adoption adoptAll() {
    List<GuestRecord> adopted = new ArrayList<>();
    List<GuestRecord> stale = new ArrayList<>();
    for (GuestRecord record : store.loadAll()) {
      if (running.containsKey(record.uid())) {
        adopted.add(record);
      } else if (record.pid() != null && processes.isOurs(record.pid(), record.pidFile())) {
        // a guest started by an older agent (or in mode none) may still sit in the agent's cgroup
        if (!cgroups.holds(record.uid(), record.pid())) {
          place(record);
        }
        watch(record);
        adopted.add(record);
        LOG.info("adopted running guest {} (qemu pid {})", record.key(), record.pid());
      } else {
        stale.add(record);
      }
    }
    return new Adoption(adopted, stale);
  }

  public boolean isRunning(String uid) {
    return running.containsKey(uid);
  }

  public Optional<GuestRecord> record(String uid) {
    Watched w = running.get(uid);
    return w == null ? store.load(uid) : Optional.of(w.record());
  }

  /** The monitor of a running guest, when one could be connected. */
  public Optional<GuestControl> control(String uid) {
    Watched w = running.get(uid);
    return w == null ? Optional.empty() : w.control();
  }

  public List<GuestRecord> runningGuests() {
    return running.values().stream().map(Watched::record).toList();
  }

  /**
   * Stops a guest: ACPI powerdown and {@code grace} to comply, then QMP quit, then SIGKILL.
   * The record stays until {@link #forget}, so the caller can release what it lists.
   */
  public StopOutcome stop(String uid, Duration grace) {
    Watched watched = running.remove(uid);
    if (watched == null) {
      return StopOutcome.NOT_RUNNING;
    }
    GuestRecord record = watched.record();
    long pid = record.pid();
    StopOutcome outcome = StopOutcome.KILLED;
    if (watched.control().isPresent()) {
      GuestControl control = watched.control().get();
      if (control.powerdown(grace)) {
        outcome = StopOutcome.POWERED_OFF;
      } else {
        control.quit();
        outcome = StopOutcome.QUIT;
      }
      control.close();
    } else {
      processes.signal(pid, false);
      outcome = StopOutcome.TERMINATED;
    }
    if (!waitGone(record, Duration.ofSeconds(5))) {
      processes.signal(pid, true);
      waitGone(record, Duration.ofSeconds(5));
      outcome = StopOutcome.KILLED;
    }
    LOG.info("guest {} stopped: {}", record.key(), outcome);
    return outcome;
  }

  /**
   * Why a running guest's qemu is not in a cgroup of its own (and so dies with the agent's
   * container); empty when it is, or when it is not running.
   */
  public Optional<String> cgroupProblem(String uid) {
    return running.containsKey(uid) ? Optional.ofNullable(unplaced.get(uid)) : Optional.empty();
  }

  /** Drops the record of a guest that no longer runs, and its cgroup. */
  public void forget(String uid) {
    running.remove(uid);
    unplaced.remove(uid);
    store.delete(uid);
    try {
      cgroups.release(uid);
    } catch (RuntimeException e) {
      LOG.warn("guest {}: cgroup not released: {}", uid, e.getMessage());
    }
  }

  /** Stops watching without stopping the guests: they keep running for the next agent to adopt. */
  @Override
  public void close() {
    poller.shutdownNow();
    running.values().forEach(w -> w.control().ifPresent(GuestControl::close));
    running.clear();
  }

  /** A guest in the agent's cgroup is better than no guest: a failed placement is logged, not fatal. */
  private void place(GuestRecord record) {
    try {
      cgroups.place(record.uid(), record.pid());
      unplaced.remove(record.uid());
    } catch (RuntimeException e) {
      unplaced.put(record.uid(), e.getMessage());
      LOG.warn("guest {}: qemu pid {} keeps running in the agent's cgroup and will die with the agent's container: {}",
          record.key(), record.pid(), e.getMessage());
    }
  }

  private void watch(GuestRecord record) {
    Optional<GuestControl> control;
    try {
      control = Optional.of(controls.connect(record, this::checkSoon));
    } catch (RuntimeException e) {
      LOG.warn("guest {}: no monitor connection ({}); watching its pid only", record.key(), e.getMessage());
      control = Optional.empty();
    }
    running.put(record.uid(), new Watched(record, control));
  }

  /** A monitor connection dropped: look at the pids now rather than at the next poll (unless the supervisor is closed). */
  private void checkSoon() {
    try {
      poller.execute(this::checkAll);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // closing: the monitors close with it, nobody watches any more
    }
  }

  private void checkAll() {
    for (Watched watched : List.copyOf(running.values())) {
      GuestRecord record = watched.record();
      if (processes.isOurs(record.pid(), record.pidFile())) {
        continue;
      }
      // qemu's last events (a guest SHUTDOWN) arrive before its monitor closes: give them one poll
      if (watched.control().map(GuestControl::connected).orElse(false) && deferred.add(record.uid())) {
        continue;
      }
      deferred.remove(record.uid());
      if (running.remove(record.uid(), watched)) {
        boolean guestShutdown = watched.control().map(GuestControl::guestShutdown).orElse(false);
        watched.control().ifPresent(GuestControl::close);
        LOG.info("guest {}: qemu pid {} is gone ({})", record.key(), record.pid(), guestShutdown ? "guest powered off" : "not by the guest");
        try {
          listener.exited(record, guestShutdown);
        } catch (RuntimeException e) {
          LOG.warn("exit listener failed for {}", record.key(), e);
        }
      }
    }
  }

  private boolean waitGone(GuestRecord record, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!processes.isOurs(record.pid(), record.pidFile())) {
        return true;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
