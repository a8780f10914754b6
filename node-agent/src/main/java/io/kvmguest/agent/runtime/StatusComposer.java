package io.kvmguest.agent.runtime;

import io.kvmguest.agent.net.TapNames;
import io.kvmguest.agent.net.TapStatus;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.status.Conditions;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.api.v1alpha1.VncStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The agent-owned part of a guest's status, from what the agent knows. Pure. */
final class StatusComposer {
  private StatusComposer() {}

  static VirtualGuestStatus compose(GuestState state, Map<String, String> macs, String defaultBridge, String vncListen,
      Function<String, Optional<String>> ipOfMac, List<GuestCondition> previous, Instant now) {
    List<InterfaceStatus> interfaces = new ArrayList<>();
    boolean running = qemuUp(state);
    for (NetworkInterface nic : state.guest.getSpec().interfaces()) {
      String mac = macs.get(nic.name());
      Optional<String> bridge = GuestNics.bridgeOf(nic, defaultBridge);
      String tapName = bridge.isPresent() ? TapNames.forNic(state.uid, nic.name()) : null;
      Optional<TapStatus> tap = state.taps.stream().filter(t -> t.tap().equals(tapName)).findFirst();
      String ip = running && bridge.isPresent() ? ipOfMac.apply(mac).orElse(null) : null;
      interfaces.add(new InterfaceStatus(nic.name(), nic.model(), mac, running ? tap.map(TapStatus::tap).orElse(null) : null,
          running && tap.map(TapStatus::attached).orElse(false) ? bridge.orElse(null) : null, ip));
    }
    VncStatus vnc = running ? state.record.map(r -> r.vncDisplay()).filter(d -> d != null)
        .map(d -> new VncStatus(vncListen + ":" + (5900 + d))).orElse(null) : null;
    List<GuestCondition> conditions = Conditions.keepTransitionTimes(previous, conditions(state), now,
        state.guest.getMetadata().getGeneration());
    return new VirtualGuestStatus(state.phase, null, state.guest.getMetadata().getGeneration(), conditions, interfaces, null,
        vnc, running ? state.accelerator : null);
  }

  /** A qemu process is there (running the guest, or holding it paused). */
  private static boolean qemuUp(GuestState state) {
    return "Running".equals(state.phase) || "Paused".equals(state.phase);
  }

  private static List<GuestCondition> conditions(GuestState state) {
    List<GuestCondition> out = new ArrayList<>();
    boolean running = qemuUp(state);
    if (state.pausedAs.isPresent() && running) {
      out.add(condition(ClusterContract.READY_CONDITION, "False", ClusterContract.PAUSED_REASON,
          "qemu paused the guest: " + state.pausedAs.get()));
    } else if (running) {
      out.add(condition(ClusterContract.READY_CONDITION, "True", "Running", "qemu is running (" + state.accelerator + ")"));
    } else if (state.failure.isPresent()) {
      out.add(condition(ClusterContract.READY_CONDITION, "False", state.failure.get().reason(), state.failure.get().message()));
    } else if (state.waitingToRestart && state.backoff.crashLooping()) {
      out.add(condition(ClusterContract.READY_CONDITION, "False", ClusterContract.CRASH_LOOP_REASON, "qemu exited "
          + state.backoff.crashesInARow() + " times in a row within " + RestartBackoff.STABLE.toSeconds()
          + " s of starting; next start at " + state.backoff.notBefore()));
    } else {
      out.add(condition(ClusterContract.READY_CONDITION, "False", state.phase, "the guest is " + state.phase.toLowerCase()));
    }
    state.acceleratorNote.filter(n -> running).ifPresent(n -> out.add(condition(ClusterContract.ACCELERATOR_FALLBACK_CONDITION, "True", "KvmUnavailable", n)));
    List<TapStatus> detached = state.taps.stream().filter(t -> !t.attached()).toList();
    if (running && !state.taps.isEmpty()) {
      out.add(detached.isEmpty()
          ? condition(ClusterContract.NETWORK_ATTACHED_CONDITION, "True", TapStatus.ATTACHED, "every bridge NIC is attached")
          : condition(ClusterContract.NETWORK_ATTACHED_CONDITION, "False", detached.get(0).reason(), detached.get(0).message()));
    }
    if (state.failure.isPresent() && !state.failurePermanent) {
      out.add(condition(ClusterContract.RETRYING_CONDITION, "True", state.failure.get().reason(), "start failed ("
          + state.failure.get().message() + "); trying again at " + state.backoff.notBefore()));
    }
    if (running && state.runningSpec.isPresent() && !state.runningSpec.get().equals(SpecDigest.of(state.guest.getSpec()))) {
      out.add(condition(ClusterContract.RESTART_REQUIRED_CONDITION, "True", "SpecChanged", "the spec changed after qemu started;"
          + " restart the guest (set annotation " + ClusterContract.RESTART_ANNOTATION + " to a new value) to apply it"));
    }
    state.vncProblem.filter(p -> running).ifPresent(p -> out.add(condition(ClusterContract.VNC_LOCKED_CONDITION, "True", "VncPasswordUnavailable", p)));
    return out;
  }

  private static GuestCondition condition(String type, String status, String reason, String message) {
    return new GuestCondition(type, status, reason, message, null, null);
  }
}
