package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kvmguest.api.kube.ClusterContract;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * This node's heartbeat, as the kubelet keeps its own: a coordination.k8s.io Lease
 * ({@link ClusterContract#leaseName}) whose renewTime is set on every beat. One small write
 * per beat that no Node watcher sees. Not thread-safe: {@link NodePublisher} calls it from its timer.
 */
final class NodeLease {
  private final KubernetesClient client;
  private final String nodeName;
  private final int durationSeconds;
  /** The Lease as last written, so a renewal needs no read; null when it must be read again. */
  private Lease last;

  NodeLease(KubernetesClient client, String nodeName, Duration period) {
    this.client = client;
    this.nodeName = nodeName;
    // As the kubelet: the lease lasts four renewals.
    this.durationSeconds = (int) Math.max(1, period.toSeconds() * 4);
  }

  /** Sets renewTime to {@code now}, creating the Lease when there is none. */
  void renew(Instant now) {
    try {
      Lease current = last != null ? last : leases().withName(ClusterContract.leaseName(nodeName)).get();
      last = current == null ? leases().resource(fresh(now)).create() : leases().resource(renewed(current, now)).update();
    } catch (KubernetesClientException e) {
      last = null; // someone else wrote or deleted it, or the write failed: read it again next beat
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT && e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private Lease fresh(Instant now) {
    return new LeaseBuilder().withNewMetadata()
        .withName(ClusterContract.leaseName(nodeName)).withNamespace(ClusterContract.LEASE_NAMESPACE)
        .withLabels(Map.of(ClusterContract.AGENT_LEASE_LABEL, "true"))
        .endMetadata()
        .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(durationSeconds)
        .withAcquireTime(now.atZone(ZoneOffset.UTC)).withRenewTime(now.atZone(ZoneOffset.UTC)).endSpec()
        .build();
  }

  private Lease renewed(Lease current, Instant now) {
    return new LeaseBuilder(current).editSpec()
        .withHolderIdentity(nodeName).withLeaseDurationSeconds(durationSeconds).withRenewTime(now.atZone(ZoneOffset.UTC))
        .endSpec().build();
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
      io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
    return client.leases().inNamespace(ClusterContract.LEASE_NAMESPACE);
  }
}
