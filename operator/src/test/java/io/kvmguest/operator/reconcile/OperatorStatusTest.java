package io.kvmguest.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.api.v1alpha1.VncStatus;
import io.kvmguest.api.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorStatusTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");
  private static final Map<String, String> MACS = Map.of("eth0", "00:16:3e:00:00:01");

  private static VirtualGuestStatus agentRunning() {
    GuestCondition ready = new GuestCondition("Ready", "True", "Running", "guest running", "2025-12-31T00:00:00Z", 1L);
    GuestCondition fallback = new GuestCondition("AcceleratorFallback", "True", "KvmUnusable", "tcg", "2025-12-31T00:00:00Z", 1L);
    return new VirtualGuestStatus("Running", "node-a", 1L, List.of(ready, fallback),
        List.of(new InterfaceStatus("eth0", "virtio", "00:16:3e:00:00:01", "kvg0001", "br0", "10.0.0.5")),
        MACS, new VncStatus("127.0.0.1:5901"), "tcg");
  }

  @Test
  void placedIntentReplacesOnlyOperatorFieldsAndKeepsTheAgentsPhaseAndConditions() {
    VirtualGuestStatus after = OperatorStatus.apply(agentRunning(), OperatorIntent.valid(2, MACS).placed("node-a"), T0);
    assertEquals("Running", after.phase());
    assertEquals(2L, after.observedGeneration());
    assertEquals(List.of("Ready", "AcceleratorFallback", "Valid", "Scheduled"), after.conditions().stream().map(GuestCondition::type).toList());
    assertEquals(agentRunning().conditions().get(0), after.conditions().get(0));
    assertEquals(agentRunning().interfaces(), after.interfaces());
    assertEquals(agentRunning().vnc(), after.vnc());
    assertEquals("tcg", after.accelerator());
  }

  @Test
  void pendingFillsOnlyAnAbsentPhaseAndScheduledOnlyReplacesPendingOrScheduled() {
    VirtualGuestStatus fresh = OperatorStatus.apply(VirtualGuestStatus.empty(), OperatorIntent.valid(1, MACS), T0);
    assertEquals("Pending", fresh.phase());
    VirtualGuestStatus scheduled = OperatorStatus.apply(fresh, OperatorIntent.valid(1, MACS).placed("n"), T0);
    assertEquals("Scheduled", scheduled.phase());
    assertEquals("Scheduled", OperatorStatus.apply(scheduled, OperatorIntent.valid(1, MACS), T0).phase());
    VirtualGuestStatus starting = scheduled.withPhase("Starting");
    assertEquals("Starting", OperatorStatus.apply(starting, OperatorIntent.valid(1, MACS).placed("n"), T0).phase());
  }

  @Test
  void unreachableSetsUnknownAndReadyUnknownOverAnyPhase() {
    VirtualGuestStatus after = OperatorStatus.apply(agentRunning(), OperatorIntent.valid(1, MACS).placed("node-a").unreachable("gone quiet"), T1);
    assertEquals("Unknown", after.phase());
    GuestCondition ready = Conditions.find(after.conditions(), "Ready").orElseThrow();
    assertEquals("Unknown", ready.status());
    assertEquals("NodeUnreachable", ready.reason());
    assertEquals("gone quiet", ready.message());
    assertEquals(T1.toString(), ready.lastTransitionTime());
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusValueChanges() {
    VirtualGuestStatus first = OperatorStatus.apply(VirtualGuestStatus.empty(), OperatorIntent.invalid(1, "InvalidSpec", "a"), T0);
    VirtualGuestStatus sameValue = OperatorStatus.apply(first, OperatorIntent.invalid(2, "InvalidSpec", "b"), T1);
    assertEquals(T0.toString(), Conditions.find(sameValue.conditions(), "Valid").orElseThrow().lastTransitionTime());
    VirtualGuestStatus flipped = OperatorStatus.apply(sameValue, OperatorIntent.valid(3, Map.of()), T1);
    assertEquals(T1.toString(), Conditions.find(flipped.conditions(), "Valid").orElseThrow().lastTransitionTime());
    assertEquals(flipped, OperatorStatus.apply(flipped, OperatorIntent.valid(3, Map.of()), T1.plusSeconds(60)), "no change, no write");
  }

  @Test
  void eventsFollowTransitionsNotRewrites() {
    VirtualGuestStatus pending = OperatorStatus.apply(VirtualGuestStatus.empty(), OperatorIntent.valid(1, MACS), T0);
    assertEquals(List.of(new Transitions.Note("Normal", "Validated", "spec is valid")), Transitions.between(VirtualGuestStatus.empty(), pending));
    VirtualGuestStatus refused = OperatorStatus.apply(pending, OperatorIntent.valid(1, MACS).unschedulable("NoNodeFits", "no node fits: 1 node lacks KVM"), T0);
    assertEquals(List.of(new Transitions.Note("Warning", "Unschedulable", "no node fits: 1 node lacks KVM")), Transitions.between(pending, refused));
    assertEquals(List.of(), Transitions.between(refused, refused));
    VirtualGuestStatus unknown = OperatorStatus.apply(agentRunning(), OperatorIntent.valid(1, MACS).placed("node-a").unreachable("quiet"), T0);
    assertEquals(new Transitions.Note("Warning", "NodeUnreachable", "quiet"), Transitions.between(agentRunning(), unknown).get(2));
  }
}
