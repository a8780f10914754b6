package io.kvmguest.agent.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.host.KvmUsability;
import io.kvmguest.api.kube.ClusterContract;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent publishes on its Node object (docs/cluster-contract.md), as a metadata merge patch:
 * labels and annotations to set, and annotations to remove. Pure.
 */
public record NodeReport(Map<String, String> labels, Map<String, String> annotations, Set<String> removedAnnotations) {

  public NodeReport {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    removedAnnotations = Set.copyOf(removedAnnotations);
  }

  /**
   * The running agent's report: readiness, KVM, what guests may use, why it is degraded (the
   * annotation goes when it no longer is). The heartbeat is not here: it is the {@link NodeLease}.
   */
  public static NodeReport running(HostFacts facts, boolean bridgeReady, Optional<String> degraded, long reserveMemoryBytes) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(ClusterContract.AGENT_READY_LABEL, String.valueOf(bridgeReady));
    labels.put(ClusterContract.KVM_LABEL, String.valueOf(KvmUsability.usable(facts)));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION, String.valueOf(facts.allocatableMemoryBytes(reserveMemoryBytes)));
    annotations.put(ClusterContract.ALLOCATABLE_CPUS_ANNOTATION, String.valueOf(facts.cpus()));
    degraded.ifPresent(why -> annotations.put(ClusterContract.AGENT_DEGRADED_ANNOTATION, why));
    Set<String> removed = degraded.isPresent() ? Set.of() : Set.of(ClusterContract.AGENT_DEGRADED_ANNOTATION);
    return new NodeReport(labels, annotations, removed);
  }

  /** The stopping agent's last word: not ready; everything else stays as it was. */
  public static NodeReport stopped() {
    return new NodeReport(Map.of(ClusterContract.AGENT_READY_LABEL, "false"), Map.of(), Set.of());
  }

  /** A JSON merge patch that sets these labels and annotations and touches nothing else. */
  public String mergePatch() {
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    ObjectNode metadata = patch.putObject("metadata");
    if (!labels.isEmpty()) {
      ObjectNode l = metadata.putObject("labels");
      labels.forEach(l::put);
    }
    if (!annotations.isEmpty() || !removedAnnotations.isEmpty()) {
      ObjectNode a = metadata.putObject("annotations");
      annotations.forEach(a::put);
      removedAnnotations.forEach(a::putNull); // null removes a key in a merge patch
    }
    return patch.toString();
  }
}
