package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

  private static GuestCondition condition(VirtualGuestStatus status, String type) {
    return status.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow(() -> new AssertionError("no " + type));
  }
}
