package io.kvmguest.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kvmguest.api.cli.CommandLineExit;
import io.kvmguest.api.cli.RunUntilShutdown;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.operator.health.HealthServer;
import io.kvmguest.operator.metrics.OperatorMetrics;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: options, client, health and metrics endpoints, operator. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorOptions options = CommandLineExit.parseOrExit("operator", () -> OperatorOptions.parse(Arrays.asList(args), System.getenv()));
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusEndpoint metrics = OperatorMetrics.endpoint();
    GuestOperator operator = OperatorFactory.build(client, options, metrics.registry());
    HealthServer health = options.healthPort() >= 0
        ? new HealthServer(options.healthPort(), operator::ready, metrics).start()
        : null;
    operator.start();
    LOG.info("kvmguest operator started: {}{}", options, health == null ? "" : ", health and metrics on port " + health.port());
    RunUntilShutdown.closeOnShutdown("operator", () -> {
      if (health != null) {
        health.close();
      }
      // As JOSDK's own shutdown hook does: with leader election, stopping ends leadership, whose
      // handler exits the JVM, which from inside a shutdown hook would hang; the JVM is ending anyway.
      if (options.leaderElectionNamespace().isEmpty()) {
        operator.stop();
        client.close();
      }
    }).await();
  }
}
