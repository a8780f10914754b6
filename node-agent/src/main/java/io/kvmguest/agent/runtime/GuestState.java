package io.kvmguest.agent.runtime;

import io.kvmguest.agent.net.TapStatus;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the agent knows about one guest between reconciles. Mutated only on that guest's worker thread. */
final class GuestState {
  VirtualGuest guest;
  final String uid;
  String phase = "Pending";
  Optional<GuestRecord> record = Optional.empty();
  String accelerator;
  Optional<String> acceleratorNote = Optional.empty();
  List<TapStatus> taps = List.of();
  Optional<String> vncProblem = Optional.empty();
  RunPolicy.History history = RunPolicy.History.NONE;
  /** Why the last start failed; cleared by a successful start. */
  Optional<Failure> failure = Optional.empty();
  boolean failurePermanent;
  /** When the next start may be tried, after crashes and transient failures. */
  RestartBackoff backoff = RestartBackoff.NONE;
  /** Wanted running, not running, and held back by {@link #backoff}. */
  boolean waitingToRestart;
  /** qemu's run state when it is not running the guest (paused, io-error, ...); empty while it runs. */
  Optional<String> pausedAs = Optional.empty();
  /** {@link SpecDigest} of the spec the running qemu was started from; empty when unknown (adopted from an older agent). */
  Optional<String> runningSpec = Optional.empty();
  /** The spec the last permanent failure was about; a new spec gets a new try. */
  String failedSpec;

  /**
   * When the agent first saw the guest (its assignment to this node, as far as this agent knows), or
   * for a guest not meant to run at first, when it last saw it not wanted.
   */
  Instant seenAt = Instant.EPOCH;
  /** When its current qemu started (this agent's clock). */
  Instant qemuStartedAt = Instant.EPOCH;
  /** Whether a qemu of this guest ran under this agent before (started or adopted). */
  boolean everStarted;
  /** Whether the current qemu's boot time (first IP in status) was observed. */
  boolean bootObserved;

  /** A condition reason (CamelCase) and a message for people. */
  record Failure(String reason, String message) {}

  GuestState(VirtualGuest guest, String uid) {
    this.guest = guest;
    this.uid = uid;
  }
}
