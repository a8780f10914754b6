package io.kvmguest.api.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmguest.api.status.StatusOwnership.Field;
import io.kvmguest.api.status.StatusOwnership.Side;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.api.v1alpha1.VncStatus;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StatusOwnershipTest {
  private static GuestCondition condition(String type, String status, String reason) {
    return new GuestCondition(type, status, reason, type + " is " + status, "2026-01-01T00:00:00Z", 1L);
  }

  /** What the operator wrote once it dispatched a guest. */
  private static final VirtualGuestStatus OPERATOR = new VirtualGuestStatus("Scheduled", "node-a", 3L,
      List.of(condition("Valid", "True", "Valid"), condition("Scheduled", "True", "Scheduled")), null,
      Map.of("eth0", "00:16:3e:aa:bb:cc"), null, null);

  /** What the agent composes for a running guest; its nodeName, observedGeneration and MACs are not its to write. */
  private static final VirtualGuestStatus AGENT_RUNNING = new VirtualGuestStatus("Running", "elsewhere", 99L,
      List.of(condition("Ready", "True", "Running"), condition("AcceleratorFallback", "True", "KvmUnavailable")),
      List.of(new InterfaceStatus("eth0", "virtio", "00:16:3e:00:00:01", "kvg0000aaaa", "br0", "10.0.0.9")),
      Map.of("eth0", "not-the-agents"), new VncStatus("127.0.0.1:5900"), "tcg");

  private static List<String> types(VirtualGuestStatus status) {
    return status.conditions().stream().map(GuestCondition::type).toList();
  }

  @Test
  void everyStatusFieldHasAnOwnerOrASharingRule() {
    Set<String> components = Arrays.stream(VirtualGuestStatus.class.getRecordComponents()).map(RecordComponent::getName)
        .collect(Collectors.toSet());
    Set<String> covered = new HashSet<>(StatusOwnership.SHARED_FIELDS);
    Arrays.stream(Field.values()).forEach(f -> covered.add(f.fieldName));
    assertEquals(components, covered, "a new VirtualGuestStatus field needs an owner in StatusOwnership");
  }

  @Test
  void theAgentTakesItsFieldsAndKeepsTheOperatorsOnes() {
    VirtualGuestStatus merged = StatusOwnership.mergeAgent(OPERATOR, AGENT_RUNNING);

    assertEquals(new VirtualGuestStatus("Running", "node-a", 3L,
        List.of(OPERATOR.conditions().get(0), OPERATOR.conditions().get(1), AGENT_RUNNING.conditions().get(0), AGENT_RUNNING.conditions().get(1)),
        AGENT_RUNNING.interfaces(), OPERATOR.macAddresses(), AGENT_RUNNING.vnc(), "tcg"), merged);
  }

  @Test
  void theAgentDropsConditionsItNoLongerReportsAndCannotWriteTheOperatorsTypes() {
    VirtualGuestStatus live = StatusOwnership.mergeAgent(OPERATOR, AGENT_RUNNING);
    VirtualGuestStatus stopped = VirtualGuestStatus.empty().withPhase("Stopped")
        .withConditions(List.of(condition("Ready", "False", "Stopped"), condition("Valid", "False", "NotTheAgentsToSay")));

    VirtualGuestStatus merged = StatusOwnership.mergeAgent(live, stopped);

    assertEquals(List.of("Valid", "Scheduled", "Ready"), types(merged));
    assertEquals("Valid", merged.conditions().get(0).reason());
    assertEquals("Stopped", merged.phase());
    assertEquals(null, merged.vnc());
  }

  @Test
  void theAgentStartsFromNothingWhenThereIsNoStatus() {
    VirtualGuestStatus merged = StatusOwnership.mergeAgent(null, AGENT_RUNNING);

    assertEquals("Running", merged.phase());
    assertEquals(null, merged.observedGeneration());
    assertEquals(null, merged.nodeName());
    assertEquals(Map.of(), merged.macAddresses());
  }

  @Test
  void theOperatorTakesItsFieldsAndKeepsTheAgentsOnes() {
    VirtualGuestStatus live = StatusOwnership.mergeAgent(OPERATOR, AGENT_RUNNING);
    VirtualGuestStatus operatorPart = new VirtualGuestStatus("Scheduled", "node-a", 4L,
        List.of(condition("Valid", "False", "InvalidSpec"), condition("Ready", "False", "NotTheOperatorsToSay")),
        null, Map.of("eth0", "00:16:3e:aa:bb:dd"), null, null);

    VirtualGuestStatus merged = StatusOwnership.mergeOperator(live, operatorPart);

    assertEquals(new VirtualGuestStatus("Running", "node-a", 4L,
        List.of(operatorPart.conditions().get(0), AGENT_RUNNING.conditions().get(0), AGENT_RUNNING.conditions().get(1)),
        AGENT_RUNNING.interfaces(), Map.of("eth0", "00:16:3e:aa:bb:dd"), AGENT_RUNNING.vnc(), "tcg"), merged,
        "Scheduled, no longer stated, is dropped; Ready stays the agent's; Scheduled does not replace Running");
  }

  @Test
  void theOperatorWritesReadyOnlyAsUnknownNodeUnreachableAndTheAgentReplacesItWhenItReportsAgain() {
    VirtualGuestStatus live = StatusOwnership.mergeAgent(OPERATOR, AGENT_RUNNING);
    GuestCondition unreachable = condition("Ready", "Unknown", "NodeUnreachable");
    VirtualGuestStatus operatorPart = OPERATOR.withPhase("Unknown").withConditions(List.of(OPERATOR.conditions().get(0),
        OPERATOR.conditions().get(1), unreachable));

    VirtualGuestStatus unknown = StatusOwnership.mergeOperator(live, operatorPart);
    assertEquals("Unknown", unknown.phase());
    assertEquals(List.of("Valid", "Scheduled", "Ready", "AcceleratorFallback"), types(unknown));
    assertEquals(unreachable, unknown.conditions().get(2));

    VirtualGuestStatus back = StatusOwnership.mergeAgent(unknown, AGENT_RUNNING);
    assertEquals("Running", back.phase());
    assertEquals(AGENT_RUNNING.conditions().get(0), back.conditions().get(2));
  }

  @Test
  void theOperatorsPhasesApplyOnlyWhileTheAgentHasNotReportedExceptUnknown() {
    VirtualGuestStatus none = VirtualGuestStatus.empty();
    VirtualGuestStatus pending = none.withPhase("Pending");
    VirtualGuestStatus scheduled = none.withPhase("Scheduled");
    VirtualGuestStatus starting = none.withPhase("Starting");
    assertEquals("Pending", StatusOwnership.mergeOperator(none, pending).phase());
    assertEquals("Scheduled", StatusOwnership.mergeOperator(scheduled, pending).phase(), "Pending only fills an absent phase");
    assertEquals("Scheduled", StatusOwnership.mergeOperator(pending, scheduled).phase());
    assertEquals("Starting", StatusOwnership.mergeOperator(starting, scheduled).phase());
    assertEquals("Unknown", StatusOwnership.mergeOperator(starting, none.withPhase("Unknown")).phase());
    assertEquals("Starting", StatusOwnership.mergeOperator(starting, none).phase(), "no phase asked: as stored");
    assertThrows(IllegalArgumentException.class, () -> StatusOwnership.mergeOperator(none, starting));
  }

  @Test
  void eachConditionTypeHasOneOwner() {
    assertEquals(Side.AGENT, StatusOwnership.ownerOfCondition("Ready"));
    assertEquals(Side.AGENT, StatusOwnership.ownerOfCondition("Retrying"));
    assertEquals(Side.OPERATOR, StatusOwnership.ownerOfCondition("Valid"));
    assertEquals(Side.OPERATOR, StatusOwnership.ownerOfCondition("Scheduled"));
  }
}
