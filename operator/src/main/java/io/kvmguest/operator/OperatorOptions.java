package io.kvmguest.operator;

import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.operator.placement.PlacementPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The operator's settings, from its command line.
 *
 * @param healthPort port of /healthz and /readyz; 0 picks a free one, negative turns them off
 * @param rescheduleInterval how often a guest that waits (no node fits, missing Secret, node
 *     unreachable) is looked at again without an event
 */
public record OperatorOptions(String macPrefix, PlacementPolicy placement, double cpuOvercommit, Duration nodeStaleAfter,
    int healthPort, Optional<String> leaderElectionNamespace, Optional<String> namespace, Duration rescheduleInterval) {

  public static final String USAGE = """
      usage: operator [--mac-prefix 00:16:3e] [--placement spread|pack] [--cpu-overcommit 1.0]
                      [--node-stale-after SECONDS (40)] [--health-port 8080] [--reschedule-interval SECONDS (30)]
                      [--leader-election-namespace NS] [--namespace NS]
      """;

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
  }

  public static OperatorOptions defaults() {
    return new OperatorOptions(MacAddresses.DEFAULT_PREFIX, PlacementPolicy.SPREAD, 1.0, Duration.ofSeconds(40), 8080,
        Optional.empty(), Optional.empty(), Duration.ofSeconds(30));
  }

  public static OperatorOptions parse(String... args) {
    OperatorOptions o = defaults();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
      }
      String value = args[++i];
      o = switch (flag) {
        case "--mac-prefix" -> o.withMacPrefix(value);
        case "--placement" -> o.withPlacement(policy(value));
        case "--cpu-overcommit" -> o.withCpuOvercommit(number(flag, value));
        case "--node-stale-after" -> o.withNodeStaleAfter(seconds(flag, value));
        case "--health-port" -> o.withHealthPort((int) number(flag, value));
        case "--leader-election-namespace" -> o.withLeaderElectionNamespace(Optional.of(value));
        case "--namespace" -> o.withNamespace(Optional.of(value));
        case "--reschedule-interval" -> o.withRescheduleInterval(seconds(flag, value));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      };
    }
    return o;
  }

  public OperatorOptions withMacPrefix(String value) {
    return new OperatorOptions(value, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval);
  }

  public OperatorOptions withPlacement(PlacementPolicy value) {
    return new OperatorOptions(macPrefix, value, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval);
  }

  public OperatorOptions withCpuOvercommit(double value) {
    return new OperatorOptions(macPrefix, placement, value, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, rescheduleInterval);
  }

  public OperatorOptions withNodeStaleAfter(Duration value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, value, healthPort, leaderElectionNamespace, namespace, rescheduleInterval);
  }

  public OperatorOptions withHealthPort(int value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, value, leaderElectionNamespace, namespace, rescheduleInterval);
  }

  public OperatorOptions withLeaderElectionNamespace(Optional<String> value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, value, namespace, rescheduleInterval);
  }

  public OperatorOptions withNamespace(Optional<String> value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, value, rescheduleInterval);
  }

  public OperatorOptions withRescheduleInterval(Duration value) {
    return new OperatorOptions(macPrefix, placement, cpuOvercommit, nodeStaleAfter, healthPort, leaderElectionNamespace, namespace, value);
  }

  private static PlacementPolicy policy(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "spread" -> PlacementPolicy.SPREAD;
      case "pack" -> PlacementPolicy.PACK;
      default -> throw new IllegalArgumentException("--placement must be spread or pack, got " + value);
    };
  }

  private static double number(String flag, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, got " + value, e);
    }
  }

  private static Duration seconds(String flag, String value) {
    return Duration.ofMillis(Math.round(number(flag, value) * 1000));
  }
}
