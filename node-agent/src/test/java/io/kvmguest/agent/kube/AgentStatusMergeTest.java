package io.kvmguest.agent.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentStatusMergeTest {

  @Test
  void takesTheAgentsFieldsAndKeepsTheOperatorsOnes() {
    VirtualGuestStatus live = Statuses.operator("node-a", "00:16:3e:aa:bb:cc");

    VirtualGuestStatus merged = AgentStatusMerge.merge(live, Statuses.agentRunning("10.0.0.9"));

    assertEquals(new VirtualGuestStatus("Running", "node-a", 3L,
        List.of(live.conditions().get(0), live.conditions().get(1), Statuses.agentRunning("x").conditions().get(0),
            Statuses.agentRunning("x").conditions().get(1)),
        Statuses.agentRunning("10.0.0.9").interfaces(), Map.of("eth0", "00:16:3e:aa:bb:cc"),
        Statuses.agentRunning("x").vnc(), "tcg"), merged);
  }

  @Test
  void dropsAgentConditionsTheAgentNoLongerReportsAndIgnoresOperatorTypesFromTheAgent() {
    VirtualGuestStatus live = AgentStatusMerge.merge(Statuses.operator("node-a", "m"), Statuses.agentRunning("10.0.0.9"));
    VirtualGuestStatus fromAgent = Statuses.agentStopped().withConditions(List.of(Statuses.condition("Ready", "False", "Stopped"),
        Statuses.condition("Valid", "False", "NotTheAgentsToSay")));

    VirtualGuestStatus merged = AgentStatusMerge.merge(live, fromAgent);

    assertEquals(List.of("Valid", "Scheduled", "Ready"), Statuses.types(merged));
    assertEquals("Valid", merged.conditions().get(0).reason());
    assertEquals("Stopped", merged.phase());
  }

  @Test
  void startsFromNothingWhenTheGuestHasNoStatus() {
    VirtualGuestStatus merged = AgentStatusMerge.merge(null, Statuses.agentStopped());

    assertEquals("Stopped", merged.phase());
    assertEquals(null, merged.observedGeneration());
    assertEquals(null, merged.nodeName());
    assertEquals(List.of("Ready"), Statuses.types(merged));
  }
}
