package io.kvmguest.operator.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.kube.ClusterContract;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Node objects as node agents publish them (docs/cluster-contract.md): ready and KVM labels and
 * allocatable annotations on the Node, and a heartbeat Lease whose renewTime is refreshed while
 * the node is "alive".
 */
public final class FakeNodes implements AutoCloseable {
  private final KubernetesClient client;
  private final Set<String> alive = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "fake-node-heartbeats");
    thread.setDaemon(true);
    return thread;
  });

  public FakeNodes(KubernetesClient client, Duration heartbeatEvery) {
    this.client = client;
    heartbeats.scheduleWithFixedDelay(this::beat, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
  }

  public Node publish(String name, long memoryBytes, int cpus, boolean kvm) {
    return publish(name, memoryBytes, cpus, kvm, Map.of());
  }

  public Node publish(String name, long memoryBytes, int cpus, boolean kvm, Map<String, String> extraLabels) {
    Map<String, String> labels = new HashMap<>(extraLabels);
    labels.put(ClusterContract.AGENT_READY_LABEL, "true");
    labels.put(ClusterContract.KVM_LABEL, String.valueOf(kvm));
    Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
        .withAnnotations(Map.of(ClusterContract.ALLOCATABLE_MEMORY_ANNOTATION, Long.toString(memoryBytes), ClusterContract.ALLOCATABLE_CPUS_ANNOTATION, Integer.toString(cpus)))
        .endMetadata().build();
    Node created = client.nodes().resource(node).create();
    client.leases().resource(new LeaseBuilder().withNewMetadata()
        .withName(ClusterContract.leaseName(name)).withNamespace(ClusterContract.LEASE_NAMESPACE)
        .withLabels(Map.of(ClusterContract.AGENT_LEASE_LABEL, "true")).endMetadata()
        .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(40).withRenewTime(ZonedDateTime.now(ZoneOffset.UTC)).endSpec()
        .build()).create();
    alive.add(name);
    return created;
  }

  /** The agent stops reporting (its heartbeat goes stale). */
  public void silence(String name) {
    alive.remove(name);
  }

  /** The agent reports again, at once. */
  public void resume(String name) {
    alive.add(name);
    heartbeat(name);
  }

  public void remove(String name) {
    alive.remove(name);
    client.nodes().withName(name).delete();
  }

  private void beat() {
    for (String name : alive) {
      try {
        heartbeat(name);
      } catch (RuntimeException e) {
        // the mock server is shutting down; the next beat or close() ends this
      }
    }
  }

  private void heartbeat(String name) {
    client.leases().inNamespace(ClusterContract.LEASE_NAMESPACE).withName(ClusterContract.leaseName(name)).edit(lease -> {
      lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
      return lease;
    });
  }

  @Override
  public void close() {
    heartbeats.shutdownNow();
  }
}
