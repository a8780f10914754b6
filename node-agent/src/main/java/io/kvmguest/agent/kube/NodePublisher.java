package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kvmguest.agent.host.HostFacts;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's Node object current for the operator: labels agent-ready and kvm, annotations
 * allocatable memory/CPUs, why the agent is degraded (absent when it is not) and the heartbeat, at
 * start and then every period; agent-ready=false on close. It creates nothing: a Node that does not exist yet (the kubelet registers it) is warned
 * about and tried again next period.
 */
public final class NodePublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodePublisher.class);
  private static final PatchContext MERGE_PATCH = PatchContext.of(PatchType.JSON_MERGE);

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
  private boolean warned;

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
    try {
      patch(NodeReport.running(facts, bridgeReady.getAsBoolean(), degraded.get(), reserveMemoryBytes, clock.instant()));
    } catch (RuntimeException e) {
      // The timer must survive: an exception would cancel every later heartbeat.
      LOG.warn("heartbeat of node {} failed: {}", nodeName, e.toString());
    }
  }

  private synchronized void patch(NodeReport report) {
    try {
      client.nodes().withName(nodeName).patch(MERGE_PATCH, report.mergePatch());
      if (warned) {
        LOG.info("node {} found: publishing its agent state", nodeName);
        warned = false;
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      if (!warned) {
        LOG.warn("no Node named {} (yet): the kubelet registers it; trying again every {} s. Check --node-name / NODE_NAME.",
            nodeName, period.toSeconds());
        warned = true;
      }
    }
  }
}
