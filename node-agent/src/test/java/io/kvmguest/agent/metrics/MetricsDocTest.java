package io.kvmguest.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/metrics.md lists exactly the kvmguest_ families the agent exports (its "Node agent" part). */
class MetricsDocTest {

  @Test
  void theDocListsEveryAgentFamilyAndNoOther() throws Exception {
    PrometheusEndpoint endpoint = PrometheusEndpoint.withJvmMetrics();
    try (AgentMetricsServer ignored = new AgentMetricsServer(0, endpoint, () -> true)) {
      endpoint.prometheusRegistry().register(new GuestMetricsCollector(() -> Snapshots.of(
          Snapshots.sampled(Snapshots.running("u1", "vm1", 42)))));
      Set<String> exported = new TreeSet<>();
      GuestExpositionTest.families(endpoint.scrape(), "TYPE").stream().filter(n -> n.startsWith("kvmguest_")).forEach(exported::add);

      String doc = Files.readString(Path.of("..", "docs", "metrics.md"));
      String agentPart = doc.substring(doc.indexOf("## Node agent"), doc.indexOf("### Process and JVM"));
      Set<String> documented = new TreeSet<>();
      Matcher m = Pattern.compile("^\\| `(kvmguest_[a-z_]+)` \\|", Pattern.MULTILINE).matcher(agentPart);
      while (m.find()) {
        documented.add(m.group(1));
      }
      assertEquals(exported, documented, "docs/metrics.md (Node agent) against a scrape");
    }
  }
}
