package io.kvmguest.agent.kube;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The status the agent writes: the live status with the agent's fields replaced by its own and
 * everything the operator owns (nodeName, observedGeneration, macAddresses, its conditions) kept.
 * Pure.
 */
public final class AgentStatusMerge {
  private AgentStatusMerge() {}

  /** {@code live} may be null (no status yet); {@code agent} is what the node agent composed. */
  public static VirtualGuestStatus merge(VirtualGuestStatus live, VirtualGuestStatus agent) {
    VirtualGuestStatus base = live == null ? VirtualGuestStatus.empty() : live;
    List<GuestCondition> conditions = new ArrayList<>();
    base.conditions().stream().filter(c -> !ClusterContract.AGENT_CONDITION_TYPES.contains(c.type())).forEach(conditions::add);
    agent.conditions().stream().filter(c -> ClusterContract.AGENT_CONDITION_TYPES.contains(c.type())).forEach(conditions::add);
    return new VirtualGuestStatus(agent.phase(), base.nodeName(), base.observedGeneration(), conditions, agent.interfaces(),
        base.macAddresses(), agent.vnc(), agent.accelerator());
  }
}
