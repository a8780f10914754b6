package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.kube.GuestEvents;

/** The agent's Events: recorded on the guest, reported by component kvmguest-node-agent from this node. */
public final class AgentEvents {
  public static final String COMPONENT = "kvmguest-node-agent";

  private AgentEvents() {}

  public static GuestEvents on(KubernetesClient client, String nodeName) {
    // TEMPORARY until the shared aggregated recorder lands in api
    return (guest, type, reason, message) -> {};
  }
}
