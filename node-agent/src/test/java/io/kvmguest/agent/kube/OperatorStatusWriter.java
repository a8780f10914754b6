package io.kvmguest.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.operator.metrics.OperatorMetrics;
import io.kvmguest.operator.reconcile.OperatorIntent;
import io.kvmguest.operator.reconcile.StatusStep;
import io.kvmguest.operator.reconcile.ValidateStep;
import io.kvmguest.operator.status.ConflictSafeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The real operator's status writer (its StatusStep over ConflictSafeStatus, as OperatorFactory
 * wires them) for one guest, driven with the intent of a reconcile that placed the guest: no
 * stand-in that could disagree with the operator about who owns what.
 */
final class OperatorStatusWriter {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ConflictSafeStatus writer;
  private final StatusStep step;

  OperatorStatusWriter(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.writer = new ConflictSafeStatus(client, new ConflictRetry(200, Duration.ofMillis(1), Duration.ofMillis(50)));
    this.step = new StatusStep(writer, (guest, type, reason, message) -> { },
        Clock.systemUTC(), new OperatorMetrics(new SimpleMeterRegistry(), Clock.systemUTC(), ValidateStep.FAILURE_REASONS));
  }

  /** Writes what the operator writes once it reconciled {@code generation} and placed the guest on {@code node}. */
  VirtualGuest placed(long generation, String node, String mac) {
    VirtualGuest latest = client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).require();
    return step.write(latest, OperatorIntent.valid(generation, Map.of("eth0", mac)).placed(node));
  }

  /** How many of its writes met a 409 and were redone. */
  long conflicts() {
    return writer.conflicts();
  }
}
