package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.api.kube.GuardedPatches;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for the operator: writes its own status fields (observedGeneration, nodeName, MACs,
 * Valid/Scheduled) the way the contract says, read → change its fields → write guarded by the
 * resourceVersion read → on 409 read again. Counts the conflicts it met.
 */
final class OperatorLikeWriter {
  private static final List<String> OPERATOR_TYPES = List.of("Valid", "Scheduled");

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  final AtomicInteger conflicts = new AtomicInteger();

  OperatorLikeWriter(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
  }

  void write(long generation, String node, String mac) {
    for (int attempt = 0; attempt < 200; attempt++) {
      var resource = client.resources(VirtualGuest.class).inNamespace(namespace).withName(name);
      VirtualGuest latest = resource.get();
      VirtualGuestStatus live = latest.getStatus() == null ? VirtualGuestStatus.empty() : latest.getStatus();
      List<GuestCondition> conditions = new ArrayList<>();
      live.conditions().stream().filter(c -> !OPERATOR_TYPES.contains(c.type())).forEach(conditions::add);
      conditions.add(Statuses.condition("Valid", "True", "Generation" + generation));
      conditions.add(Statuses.condition("Scheduled", "True", "NodeChosen"));
      VirtualGuestStatus mine = new VirtualGuestStatus(live.phase(), node, generation, conditions, live.interfaces(),
          Map.of("eth0", mac), live.vnc(), live.accelerator());
      try {
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON),
            GuardedPatches.replaceStatus(latest.getMetadata().getResourceVersion(), mine));
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        conflicts.incrementAndGet();
        Thread.yield();
      }
    }
    throw new AssertionError("operator-like writer: conflicts without end");
  }
}
