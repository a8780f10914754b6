package io.kvmguest.packaging;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.kvmguest.agent.AgentOptions;
import io.kvmguest.operator.OperatorOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command lines the chart renders (defaults and every ci/*-values.yaml) are accepted by the
 * programs' own parsers, with the environment the pods get, and mean what the chart intends.
 */
class ChartFlagsTest {
  private static final String NODE = "node-1";
  /** A pod's host name: not its node's name, so NODE_NAME must win. */
  private static final String POD_HOST_NAME = "kvmguest-agent-x7k2p";

  static Stream<Path> valueSets() {
    return HelmChartTest.valueSets();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void agentParserAcceptsTheRenderedArgs(Path values) {
    Rendered r = Helm.render(values);
    Container agent = Rendered.container(r.agent().getSpec().getTemplate(), "agent");
    List<String> args = agent.getArgs();
    AgentOptions options = parse(Helm.label(values), args, () -> AgentOptions.parse(args, env(agent), POD_HOST_NAME));
    assertAll(Helm.label(values),
        () -> assertEquals(NODE, options.nodeName(), "node name from NODE_NAME (spec.nodeName)"),
        () -> assertTrue(options.keepGuests(), "--keep-guests"),
        () -> assertEquals(Path.of(HelmChartTest.value(args, "--state-dir")), options.stateDir()),
        () -> assertEquals(agent.getPorts().get(0).getContainerPort(), options.metricsPort(), "metrics port = container port"),
        () -> assertEquals(HelmChartTest.value(args, "--network"), options.networkMode().toString().toLowerCase(java.util.Locale.ROOT)),
        () -> assertEquals(HelmChartTest.values(args, "--allowed-dir").stream().map(Path::of).toList(), options.allowedDirs()),
        () -> assertEquals(HelmChartTest.values(args, "--allowed-bridge"), options.allowedBridges()),
        () -> assertEquals(HelmChartTest.values(args, "--allowed-device"), options.allowedDevices()),
        () -> assertEquals(HelmChartTest.value(args, "--guest-cgroups"), options.guestCgroups().flagValue()),
        () -> assertTrue(options.guestsDir().isEmpty(), "Kubernetes mode"),
        () -> assertTrue(options.kubeconfig().isEmpty(), "in-cluster ServiceAccount"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void operatorParserAcceptsTheRenderedArgs(Path values) {
    Rendered r = Helm.render(values);
    Container op = Rendered.container(r.operator().getSpec().getTemplate(), "operator");
    List<String> args = op.getArgs();
    OperatorOptions options = parse(Helm.label(values), args, () -> OperatorOptions.parse(args, env(op)));
    boolean leader = r.operator().getSpec().getReplicas() > 1;
    assertAll(Helm.label(values),
        () -> assertEquals(op.getPorts().get(0).getContainerPort(), options.healthPort(), "health port = container port \"http\""),
        () -> assertEquals(leader ? Optional.of(Helm.NAMESPACE) : Optional.empty(), options.leaderElectionNamespace(),
            "leader election (Lease in the release namespace) iff replicas > 1"),
        () -> assertEquals(args.contains("--namespace") ? Optional.of(HelmChartTest.value(args, "--namespace")) : Optional.empty(),
            options.namespace()),
        () -> assertEquals(Integer.parseInt(HelmChartTest.value(args, "--reconcile-threads")), options.reconcileThreads()));
  }

  /** The parsers are strict, so accepting the chart's args means something. */
  @Test
  void parsersRejectUnknownFlags() {
    assertThrows(IllegalArgumentException.class,
        () -> AgentOptions.parse(List.of("--state-dir", "/var/lib/kvmguest", "--keep-guest"), Map.of(), POD_HOST_NAME));
    assertThrows(IllegalArgumentException.class, () -> OperatorOptions.parse(List.of("--leader-elect"), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> OperatorOptions.parse(List.of("--leader-election"), Map.of()), "--leader-election without POD_NAMESPACE");
  }

  private interface Parse<T> {
    T run();
  }

  private static <T> T parse(String set, List<String> args, Parse<T> parse) {
    try {
      return parse.run();
    } catch (IllegalArgumentException e) {
      fail("with " + set + " the chart renders args the program rejects: " + e.getMessage() + "\nargs: " + args);
      return null;
    }
  }

  /** The container's environment as the kubelet fills it: literal values and the downward API fields the chart uses. */
  private static Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : c.getEnv() == null ? new ArrayList<EnvVar>() : c.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null) {
        String field = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(e.getName(), switch (field) {
          case "spec.nodeName" -> NODE;
          case "metadata.namespace" -> Helm.NAMESPACE;
          default -> throw new AssertionError("unexpected downward API field " + field);
        });
      }
    }
    return env;
  }
}
