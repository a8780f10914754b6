package io.kvmguest.standalone;

import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.api.cli.CommandLineExit;
import io.kvmguest.api.cli.HostName;
import io.kvmguest.api.cli.RunUntilShutdown;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import io.kvmguest.operator.GuestOperator;
import io.kvmguest.operator.OperatorFactory;
import io.kvmguest.operator.OperatorOptions;
import io.kvmguest.operator.metrics.OperatorMetrics;
import io.kvmguest.standalone.apiserver.EmbeddedApiServer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kvmguest on one machine: an embedded Kubernetes API (so kubectl works as on a cluster), the
 * operator and this machine's node agent, in one process (--no-operator, --no-agent leave them out).
 * All wiring is here.
 */
public final class StandaloneMain {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMain.class);

  /** vCPUs per host CPU the standalone operator allows (a cluster's operator defaults to 1). */
  static final double STANDALONE_CPU_OVERCOMMIT = 8.0;

  private static final String PROGRAM = "kvmguest-standalone";

  private StandaloneMain() {}

  public static void main(String[] args) throws Exception {
    String hostName = HostName.local();
    StandaloneOptions options = CommandLineExit.parseOrExit(PROGRAM,
        () -> StandaloneOptions.parse(Arrays.asList(args), System.getenv(), hostName));
    AutoCloseable running;
    try {
      running = start(options);
    } catch (RuntimeException e) {
      LOG.error("kvmguest standalone failed to start", e);
      System.err.println(PROGRAM + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    RunUntilShutdown run = RunUntilShutdown.closeOnShutdown("standalone", running);
    System.out.println("kvmguest standalone ready: kubeconfig=" + options.kubeconfig());
    System.out.flush();
    run.await();
  }

  /**
   * Starts the embedded API, then (unless --no-operator) the operator and (unless --no-agent) this
   * machine's Node and agent; closing stops it in reverse order (guests per --keep-guests).
   */
  public static AutoCloseable start(StandaloneOptions options) throws Exception {
    Files.createDirectories(options.stateDir());
    EmbeddedApiServer api = EmbeddedApiServer.start(options.stateDir(), options.apiPort());
    GuestOperator operator = null;
    AutoCloseable agent = null;
    Metrics metrics = null;
    // One registry for the operator's and the agent's meters: one scrape shows both.
    PrometheusEndpoint registry = OperatorMetrics.endpoint();
    try {
      api.writeKubeconfig(options.kubeconfig());
      if (!options.noOperator()) {
        // One machine for trying things out: let guests share its CPUs, as qemu users do by hand.
        operator = OperatorFactory.build(api.client(), OperatorOptions.defaults().withCpuOvercommit(STANDALONE_CPU_OVERCOMMIT),
            registry.registry());
        operator.start();
      }
      if (!options.noAgent()) {
        api.registerNode(options.nodeName(), Map.of());
        agent = NodeAgentMain.startOnCluster(options.agentOptions(), api.client(), registry);
      }
      if (options.metricsPort() >= 0) {
        metrics = Metrics.start(options.metricsPort(), registry);
      }
      LOG.info("embedded API on {}, operator {}, node {}, metrics {}", api.url(), operator == null ? "off" : "on",
          agent == null ? "off" : options.nodeName(), metrics == null ? "off" : "http://127.0.0.1:" + metrics.port() + "/metrics");
    } catch (Exception | Error e) {
      closeQuietly(metrics, agent, operator, api);
      throw e;
    }
    GuestOperator startedOperator = operator;
    AutoCloseable startedAgent = agent;
    Metrics startedMetrics = metrics;
    return () -> closeQuietly(startedMetrics, startedAgent, startedOperator, api);
  }

  private static void closeQuietly(Object... parts) {
    for (Object part : parts) {
      if (part == null) {
        continue;
      }
      try {
        if (part instanceof GuestOperator operator) {
          operator.stop();
        } else {
          ((AutoCloseable) part).close();
        }
      } catch (Exception e) {
        LOG.warn("while stopping {}: {}", part.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
