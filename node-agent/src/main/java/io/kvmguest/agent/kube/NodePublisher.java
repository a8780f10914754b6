package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.agent.host.HostFacts;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.kvmguest.api.kube.ClusterContract;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the operator informed about this node. Every period it renews the node's heartbeat
 * {@link NodeLease}; the Node object (labels agent-ready and kvm, annotations allocatable
 * memory/CPUs and why the agent is degraded, absent when it is not) is patched only when that
 * report changes, and again every {@link #REPUBLISH_EVERY} in case someone edited it, so a
 * cluster's Node watchers see no write per heartbeat. agent-ready=false on close. It creates no
 * Node: one that does not exist yet (the kubelet registers it) is warned about and tried again
 * next period.
 */
public final class NodePublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodePublisher.class);
  private static final PatchContext MERGE_PATCH = PatchContext.of(PatchType.JSON_MERGE);
  static final Duration REPUBLISH_EVERY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String nodeName;
  private final HostFacts facts;
  private final BooleanSupplier bridgeReady;
  private final Supplier<Optional<String>> degraded;
  private final long reserveMemoryBytes;
  private final Duration period;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "node-publisher");
    t.setDaemon(true);
    return t;
  });
  private final NodeLease lease;
  private boolean warned;
  /** The report on the Node as last patched, and when; null until a patch succeeds. */
  private NodeReport published;
  private Instant publishedAt;

  /** {@code degraded}: why the agent is not fully doing its job (see {@code NodeAgent.degraded}), published with each heartbeat. */
  public NodePublisher(KubernetesClient client, String nodeName, HostFacts facts, BooleanSupplier bridgeReady,
      Supplier<Optional<String>> degraded, long reserveMemoryBytes, Duration period, Clock clock) {
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("heartbeat period must be positive, got " + period);
    }
    this.client = client;
    this.nodeName = nodeName;
    this.facts = facts;
    this.bridgeReady = bridgeReady;
    this.degraded = degraded;
    this.reserveMemoryBytes = reserveMemoryBytes;
    this.period = period;
    this.clock = clock;
    this.lease = new NodeLease(client, nodeName, period);
  }

  /** Publishes now, then every period. */
  public void start() {
    timer.scheduleAtFixedRate(this::publishRunning, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the heartbeat and marks the node not ready for guests. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      patch(NodeReport.stopped());
    } catch (RuntimeException e) {
      LOG.warn("could not mark node {} not ready: {}", nodeName, e.toString());
    }
  }

  private void publishRunning() {
    // The timer must survive: an exception would cancel every later heartbeat.
    Instant now = clock.instant();
    // The heartbeat first: a Node the agent marks ready has a fresh Lease by then, so the operator
    // never sees a ready node it takes for unreachable.
    try {
      lease.renew(now);
    } catch (RuntimeException e) {
      LOG.warn("heartbeat (Lease {}/{}) of node {} failed: {}", ClusterContract.LEASE_NAMESPACE, ClusterContract.leaseName(nodeName), nodeName, e.toString());
    }
    try {
      NodeReport report = NodeReport.running(facts, bridgeReady.getAsBoolean(), degraded.get(), reserveMemoryBytes);
      if (!report.equals(published) || !now.isBefore(publishedAt.plus(REPUBLISH_EVERY))) {
        if (patch(report)) {
          published = report;
          publishedAt = now;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("publishing node {} failed: {}", nodeName, e.toString());
    }
  }

  /** Whether the Node took the patch (false: it does not exist yet). */
  private synchronized boolean patch(NodeReport report) {
    try {
      client.nodes().withName(nodeName).patch(MERGE_PATCH, report.mergePatch());
      if (warned) {
        LOG.info("node {} found: publishing its agent state", nodeName);
        warned = false;
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      if (!warned) {
        LOG.warn("no Node named {} (yet): the kubelet registers it; trying again every {} s. Check --node-name / NODE_NAME.",
            nodeName, period.toSeconds());
        warned = true;
      }
      return false;
    }
  }
}
