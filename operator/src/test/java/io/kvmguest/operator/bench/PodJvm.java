package io.kvmguest.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Quantity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The operator pod's JVM as the Helm chart's defaults (helm/kvmguest/values.yaml) make it: its
 * {@code operator.javaToolOptions}, passed in JAVA_TOOL_OPTIONS as the chart does, and its
 * {@code operator.resources.limits.memory}. Read from the chart so the benchmark's figure is the
 * pod's and follows any change there.
 *
 * @param javaToolOptions the JAVA_TOOL_OPTIONS the chart sets
 * @param memoryLimitBytes the container's memory limit
 */
record PodJvm(String javaToolOptions, long memoryLimitBytes) {
  static final Path VALUES = Path.of("helm", "kvmguest", "values.yaml");

  /** The chart's defaults, from the repository that holds the working directory. */
  static PodJvm fromChart() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve(VALUES))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IOException("no " + VALUES + " in " + Path.of("").toAbsolutePath() + " or above: run from the repository");
    }
    return fromValues(dir.resolve(VALUES));
  }

  static PodJvm fromValues(Path values) throws IOException {
    JsonNode operator = new ObjectMapper(new YAMLFactory()).readTree(values.toFile()).path("operator");
    String options = operator.path("javaToolOptions").asText();
    String limit = operator.path("resources").path("limits").path("memory").asText();
    if (options.isBlank() || limit.isBlank()) {
      throw new IOException(values + " has no operator.javaToolOptions or operator.resources.limits.memory");
    }
    return new PodJvm(options, Quantity.getAmountInBytes(new Quantity(limit)).longValueExact());
  }

  /**
   * Command-line options that stand in for the container: in the pod the JVM sizes its heap
   * (initial and maximum, MaxRAMPercentage and the like) from the cgroup's memory limit; outside
   * one it would size it from the host's RAM, so MaxRAM tells it the limit instead.
   */
  List<String> containerOptions() {
    return List.of("-XX:MaxRAM=" + memoryLimitBytes);
  }

  /** What the benchmark prints of it. */
  String describe() {
    return "JAVA_TOOL_OPTIONS=\"" + javaToolOptions + "\", " + (memoryLimitBytes >> 20) + " MiB limit (" + String.join(" ", containerOptions()) + ")";
  }
}
