package io.kvmguest.operator.placement;

import java.util.Map;

/**
 * A node as placement sees it: what its agent reported (ready, KVM, allocatable resources) and
 * its labels for nodeSelector.
 */
public record NodeCapacity(String name, Map<String, String> labels, boolean agentReady, boolean kvm,
    long allocatableMemoryBytes, int allocatableCpus) {

  public NodeCapacity {
    labels = Map.copyOf(labels);
  }
}
