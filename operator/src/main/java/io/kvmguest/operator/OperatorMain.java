package io.kvmguest.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kvmguest.operator.health.HealthServer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The operator process: options, client, health endpoints, operator. */
public final class OperatorMain {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorOptions options;
    try {
      options = OperatorOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    GuestOperator operator = OperatorFactory.build(client, options);
    HealthServer health = options.healthPort() >= 0 ? new HealthServer(options.healthPort(), operator::ready).start() : null;
    operator.jdkOperator().installShutdownHook(Duration.ofSeconds(10));
    operator.start();
    LOG.info("kvmguest operator started: {}{}", options, health == null ? "" : ", health on port " + health.port());
  }
}
