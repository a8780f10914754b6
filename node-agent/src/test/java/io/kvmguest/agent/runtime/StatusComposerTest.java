package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.agent.net.BridgeStatus;
import io.kvmguest.agent.net.TapNames;
import io.kvmguest.agent.net.TapStatus;
import io.kvmguest.agent.supervise.GuestRecord;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusComposerTest {
  private static final String UID = "0b9d2a4e-1c7f-4e1a-9d3c-5f6a7b8c9d0e";
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private static GuestState running(List<TapStatus> taps) {
    VirtualGuest guest = Serialization.unmarshal("""
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web, generation: 3}
        spec:
          memory: 256Mi
          cdroms: [{name: cd, iso: {path: /isos/a.iso}}]
          interfaces:
            - {name: lan, model: e1000, macAddress: "00:16:3e:00:00:01"}
            - {name: out, network: {user: {}}}
          vnc: {enabled: true}
        """, VirtualGuest.class);
    GuestState state = new GuestState(guest, UID);
    state.phase = "Running";
    state.accelerator = "tcg";
    state.acceleratorNote = Optional.of("running under TCG");
    state.taps = taps;
    state.record = Optional.of(new GuestRecord(UID, "default", "web", "/p", "/q", "/s", List.of(TapNames.forNic(UID, "lan")), 2, 42L, null, List.of(), null, null));
    return state;
  }

  @Test
  void aRunningGuestReportsItsNicsConsoleAndAccelerator() {
    String tap = TapNames.forNic(UID, "lan");
    GuestState state = running(List.of(new TapStatus(tap, "br0", true, TapStatus.ATTACHED, "ok")));
    VirtualGuestStatus status = StatusComposer.compose(state, Map.of("lan", "00:16:3e:00:00:01", "out", "00:16:3e:00:00:02"), "br0",
        "127.0.0.1", mac -> mac.equals("00:16:3e:00:00:01") ? Optional.of("10.88.0.7") : Optional.empty(), List.of(), T0);
    assertEquals("Running", status.phase());
    assertEquals(3L, status.observedGeneration());
    assertEquals("tcg", status.accelerator());
    assertEquals("127.0.0.1:5902", status.vnc().address());
    var lan = status.interfaces().get(0);
    assertEquals(List.of("lan", "e1000", "00:16:3e:00:00:01", tap, "br0", "10.88.0.7"),
        List.of(lan.name(), lan.model(), lan.macAddress(), lan.tap(), lan.bridge(), lan.ipAddress()));
    var out = status.interfaces().get(1);
    assertNull(out.tap(), "user networking has no tap");
    assertNull(out.ipAddress());
    assertEquals("True", condition(status, "Ready").status());
    assertEquals("True", condition(status, "AcceleratorFallback").status());
    assertEquals("True", condition(status, "NetworkAttached").status());
  }

  @Test
  void aMissingBridgeIsVisibleAsACondition() {
    String tap = TapNames.forNic(UID, "lan");
    GuestState state = running(List.of(new TapStatus(tap, "br0", false, BridgeStatus.BRIDGE_MISSING, "bridge br0 does not exist")));
    VirtualGuestStatus status = StatusComposer.compose(state, Map.of("lan", "00:16:3e:00:00:01", "out", "00:16:3e:00:00:02"), "br0",
        "127.0.0.1", mac -> Optional.empty(), List.of(), T0);
    GuestCondition attached = condition(status, "NetworkAttached");
    assertEquals("False", attached.status());
    assertEquals(BridgeStatus.BRIDGE_MISSING, attached.reason());
    assertNull(status.interfaces().get(0).bridge(), "an unattached tap is on no bridge");
    assertEquals("True", condition(status, "Ready").status(), "the guest runs anyway, as with the seed's qemu-ifup");
  }

  @Test
  void aFailedStartSaysWhyAndTransitionTimesOnlyMoveOnChange() {
    GuestState state = running(List.of());
    state.phase = "Failed";
    state.failure = Optional.of(new GuestState.Failure("KvmUnavailable", "accelerator kvm was requested but this node cannot run KVM guests"));
    VirtualGuestStatus first = StatusComposer.compose(state, Map.of(), "br0", "127.0.0.1", mac -> Optional.empty(), List.of(), T0);
    GuestCondition ready = condition(first, "Ready");
    assertEquals(List.of("False", "KvmUnavailable"), List.of(ready.status(), ready.reason()));
    VirtualGuestStatus later = StatusComposer.compose(state, Map.of(), "br0", "127.0.0.1", mac -> Optional.empty(), first.conditions(),
        T0.plusSeconds(60));
    assertEquals("2026-11-28T10:00:00Z", condition(later, "Ready").lastTransitionTime());
    assertNull(later.accelerator(), "no accelerator in use while not running");
  }

  private static VirtualGuestStatus compose(GuestState state) {
    return StatusComposer.compose(state, Map.of(), "br0", "127.0.0.1", mac -> Optional.empty(), List.of(), T0);
  }

  private static boolean has(VirtualGuestStatus status, String type) {
    return status.conditions().stream().anyMatch(c -> c.type().equals(type));
  }

  @Test
  void aGuestQemuPausedIsNotReadyWithQemusReasonAndStillShowsItsNics() {
    GuestState state = running(List.of(new TapStatus(TapNames.forNic(UID, "lan"), "br0", true, TapStatus.ATTACHED, "ok")));
    state.phase = "Paused";
    state.pausedAs = Optional.of("io-error");
    VirtualGuestStatus status = compose(state);
    GuestCondition ready = condition(status, "Ready");
    assertEquals(List.of("Paused", "False", "Paused", "qemu paused the guest: io-error"),
        List.of(status.phase(), ready.status(), ready.reason(), ready.message()));
    assertEquals(TapNames.forNic(UID, "lan"), status.interfaces().get(0).tap(), "qemu still holds its tap");
  }

  @Test
  void aSpecChangedSinceQemuStartedAsksForARestartUntilQemuRunsTheNewSpec() {
    GuestState state = running(List.of());
    state.runningSpec = Optional.of("0123456789abcdef");
    GuestCondition restart = condition(compose(state), "RestartRequired");
    assertEquals(List.of("True", "SpecChanged"), List.of(restart.status(), restart.reason()));
    assertTrue(restart.message().contains("kvmguest.io/restart"), restart.message());

    state.runningSpec = Optional.of(SpecDigest.of(state.guest.getSpec()));
    assertFalse(has(compose(state), "RestartRequired"));
    state.runningSpec = Optional.empty(); // adopted from an agent that did not record it: unknown, not claimed
    assertFalse(has(compose(state), "RestartRequired"));
  }

  @Test
  void aTransientFailureSaysWhatIsRetriedAndWhenButAPermanentOneDoesNot() {
    GuestState state = running(List.of());
    state.phase = "Failed";
    state.failure = Optional.of(new GuestState.Failure("StorageFailed", "spec.disks[0]: No space left on device"));
    state.backoff = RestartBackoff.NONE.afterFailure(T0);
    GuestCondition retrying = condition(compose(state), "Retrying");
    assertEquals(List.of("True", "StorageFailed"), List.of(retrying.status(), retrying.reason()));
    assertTrue(retrying.message().contains("No space left on device") && retrying.message().contains("2026-11-28T10:00:01Z"),
        retrying.message());

    state.failurePermanent = true;
    assertFalse(has(compose(state), "Retrying"), "a permanent failure waits for a spec change, it is not retried");
  }

  @Test
  void aCrashLoopIsTheReadyReasonWhileTheNextStartWaits() {
    GuestState state = running(List.of());
    state.phase = "Failed";
    state.record = Optional.empty();
    RestartBackoff backoff = RestartBackoff.NONE;
    for (int i = 0; i < RestartBackoff.CRASH_LOOP_FROM; i++) {
      backoff = backoff.afterExit(java.time.Duration.ofSeconds(1), T0);
    }
    state.backoff = backoff;
    state.waitingToRestart = true;
    GuestCondition ready = condition(compose(state), "Ready");
    assertEquals(List.of("False", "CrashLoop"), List.of(ready.status(), ready.reason()));
    assertTrue(ready.message().contains("3 times in a row"), ready.message());
  }

  private static GuestCondition condition(VirtualGuestStatus status, String type) {
    return status.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
  }
}
