package io.kvmguest.operator;

import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.operator.placement.PlacementPolicy;
import io.kvmguest.api.cli.FlagParser;
import io.kvmguest.api.cli.FlagValues;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The operator's settings, from its command line.
 *
 * @param healthPort port of /healthz and /readyz; 0 picks a free one, negative turns them off
 * @param rescheduleInterval how often a guest that waits (no node fits, missing Secret, node
 *     unreachable) is looked at again without an event
 * @param reconcileThreads how many guests are reconciled at once (JOSDK's reconcile thread pool)
 */
public record OperatorOptions(String macPrefix, PlacementPolicy placement, double cpuOvercommit, Duration nodeStaleAfter,
    int healthPort, Optional<String> leaderElectionNamespace, Optional<String> namespace, Duration rescheduleInterval,
    int reconcileThreads) {

  /** Where a pod finds its own namespace (downward API, metadata.namespace), the Helm chart sets it. */
  public static final String POD_NAMESPACE_ENV = "POD_NAMESPACE";
  /** The default of --reconcile-threads, measured in docs/operator.md ("Concurrency"). */
  public static final int DEFAULT_RECONCILE_THREADS = 50;
  private static final int MAX_RECONCILE_THREADS = 1000;

  public OperatorOptions {
    if (!(cpuOvercommit >= 1.0)) {
      throw new IllegalArgumentException("--cpu-overcommit must be a number of at least 1.0, got " + cpuOvercommit);
    }
    if (nodeStaleAfter.isNegative() || nodeStaleAfter.isZero()) {
      throw new IllegalArgumentException("--node-stale-after must be a positive number of seconds");
    }
    if (rescheduleInterval.isNegative() || rescheduleInterval.isZero()) {
      throw new IllegalArgumentException("--reschedule-interval must be a positive number of seconds");
    }
    if (reconcileThreads < 1 || reconcileThreads > MAX_RECONCILE_THREADS) {
      throw new IllegalArgumentException("--reconcile-threads must be a whole number from 1 to " + MAX_RECONCILE_THREADS);
    }
  }

  public static OperatorOptions defaults() {
    return new OperatorOptions(MacAddresses.DEFAULT_PREFIX, PlacementPolicy.SPREAD, 1.0, Duration.ofSeconds(40), 8080,
        Optional.empty(), Optional.empty(), Duration.ofSeconds(30), DEFAULT_RECONCILE_THREADS);
  }

  /**
   * The operator's options from its arguments. With --leader-election the Lease lives in
   * --leader-election-namespace, else in {@code env}'s $POD_NAMESPACE; --leader-election-namespace
   * alone also turns leader election on.
   */
  public static OperatorOptions parse(List<String> args, Map<String, String> env) {
    Flags f = FlagParser.parse(new Flags(), args);
    Optional<String> leaseNamespace = Optional.ofNullable(f.leaderElectionNamespace);
    if (f.leaderElection && leaseNamespace.isEmpty()) {
      leaseNamespace = Optional.ofNullable(env.get(POD_NAMESPACE_ENV)).map(String::trim).filter(ns -> !ns.isEmpty());
      if (leaseNamespace.isEmpty()) {
        throw new IllegalArgumentException("--leader-election needs --leader-election-namespace or $" + POD_NAMESPACE_ENV);
      }
    }
    return new OperatorOptions(
        f.macPrefix,
        FlagValues.oneOf("--placement", f.placement.toLowerCase(Locale.ROOT), PLACEMENTS),
        FlagValues.atLeast("--cpu-overcommit", f.cpuOvercommit, 1.0),
        FlagValues.positiveSeconds("--node-stale-after", f.nodeStaleAfter),
        FlagValues.port("--health-port", f.healthPort, -1),
        leaseNamespace,
        Optional.ofNullable(f.namespace),
        FlagValues.positiveSeconds("--reschedule-interval", f.rescheduleInterval),
        FlagValues.wholeNumber("--reconcile-threads", f.reconcileThreads, 1, MAX_RECONCILE_THREADS));
  }

  /** The --help text. */
  public static String usage() {
    return FlagParser.usage(new Flags());
  }

  public OperatorOptions withMacPrefix(String value) {
    return new OperatorOptions(value, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withPlacement(PlacementPolicy value) {
    return new OperatorOptions(macPrefix, value, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withCpuOvercommit(double value) {
    return new OperatorOptions(macPrefix, placement, value, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withNodeStaleAfter(Duration value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, value, healthPort, leaderElectionNamespace, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withHealthPort(int value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, value, leaderElectionNamespace, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withLeaderElectionNamespace(Optional<String> value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, value, namespace, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withNamespace(Optional<String> value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, value, rescheduleInterval, reconcileThreads);
  }

  public OperatorOptions withRescheduleInterval(Duration value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, value, reconcileThreads);
  }

  public OperatorOptions withReconcileThreads(int value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval, value);
  }

  private static final Map<String, PlacementPolicy> PLACEMENTS = placements();

  private static Map<String, PlacementPolicy> placements() {
    Map<String, PlacementPolicy> byName = new LinkedHashMap<>();
    byName.put("spread", PlacementPolicy.SPREAD);
    byName.put("pack", PlacementPolicy.PACK);
    return byName;
  }

  /** The flags as picocli fills them in: text, checked by {@link #parse}. */
  @Command(name = "operator", sortOptions = false, usageHelpWidth = 110,
      description = "Places VirtualGuests on nodes whose kvmguest agent is ready and keeps their status.")
  private static final class Flags {
    @Option(names = "--mac-prefix", paramLabel = "XX:XX:XX", description = "first three bytes of the MACs it assigns (default 00:16:3e)")
    String macPrefix = MacAddresses.DEFAULT_PREFIX;

    @Option(names = "--placement", paramLabel = "POLICY", description = "spread | pack (default spread)")
    String placement = "spread";

    @Option(names = "--cpu-overcommit", paramLabel = "RATIO", description = "vCPUs placed per node CPU, at least 1.0 (default 1.0)")
    String cpuOvercommit = "1.0";

    @Option(names = "--node-stale-after", paramLabel = "SECONDS",
        description = "a node whose heartbeat is older is unreachable, seconds > 0 (default 40)")
    String nodeStaleAfter = "40";

    @Option(names = "--reschedule-interval", paramLabel = "SECONDS",
        description = "how often a waiting guest is looked at again, seconds > 0 (default 30)")
    String rescheduleInterval = "30";

    @Option(names = "--reconcile-threads", paramLabel = "N",
        description = "guests reconciled at once, 1 to " + MAX_RECONCILE_THREADS + " (default " + DEFAULT_RECONCILE_THREADS + ")")
    String reconcileThreads = String.valueOf(DEFAULT_RECONCILE_THREADS);

    @Option(names = "--health-port", paramLabel = "N",
        description = "port of /healthz, /readyz and /metrics, 0 picks a free one, -1 is off (default 8080)")
    String healthPort = "8080";

    @Option(names = "--leader-election", description = "take part in leader election (Lease kvmguest-operator), for more than one replica")
    boolean leaderElection;

    @Option(names = "--leader-election-namespace", paramLabel = "NS",
        description = "namespace of the Lease; implies --leader-election (default with --leader-election: $POD_NAMESPACE)")
    String leaderElectionNamespace;

    @Option(names = "--namespace", paramLabel = "NS", description = "watch guests in NS only (default: all namespaces)")
    String namespace;
  }
}
