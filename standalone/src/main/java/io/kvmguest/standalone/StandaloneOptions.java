package io.kvmguest.standalone;

import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.net.Ipv4Cidr;
import io.kvmguest.agent.net.NetworkConfig;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.api.cli.FlagParser;
import io.kvmguest.api.cli.FlagValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone program's command line. Parsing is pure; errors name the flag and what it accepts.
 *
 * @param noAgent no node agent in this process, and no Node for this machine
 * @param noOperator no operator in this process; with {@code noAgent} too only the embedded API runs
 */
public record StandaloneOptions(
    Path stateDir,
    int apiPort,
    int metricsPort,
    String nodeName,
    NetworkMode network,
    String bridge,
    Ipv4Cidr subnet,
    List<Path> allowedDirs,
    boolean keepGuests,
    boolean noAgent,
    boolean noOperator) {

  public StandaloneOptions {
    allowedDirs = List.copyOf(allowedDirs);
  }

  /** {@code env} is not read yet; it is here so every program's parser has the same inputs. */
  public static StandaloneOptions parse(List<String> args, Map<String, String> env, String hostName) {
    Flags f = FlagParser.parse(new Flags(), args);
    if (f.stateDir == null) {
      throw new IllegalArgumentException("--state-dir is required");
    }
    return new StandaloneOptions(
        Path.of(f.stateDir).toAbsolutePath(),
        FlagValues.port("--api-port", f.apiPort, 0),
        FlagValues.port("--metrics-port", f.metricsPort, -1),
        f.nodeName == null ? hostName : f.nodeName,
        AgentOptions.networkMode("--network", f.network),
        f.bridge,
        FlagValues.parsed("--subnet", f.subnet, Ipv4Cidr::parse),
        f.allowedDirs.stream().map(d -> Path.of(d).toAbsolutePath()).toList(),
        f.keepGuests,
        f.noAgent,
        f.noOperator);
  }

  /** The --help text. */
  public static String usage() {
    return FlagParser.usage(new Flags());
  }

  /** This machine's node agent: the agent's defaults, with what standalone's flags set. */
  public AgentOptions agentOptions() {
    AgentOptions d = AgentOptions.defaults(stateDir.resolve("node"), nodeName);
    return new AgentOptions(d.stateDir(), d.nodeName(), d.guestsDir(), network, bridge, d.uplink(), subnet, allowedDirs,
        d.allowedDevices(), d.netns(), d.vncListen(), d.portForwardAddress(), d.stopGrace(), keepGuests, d.kubeconfig(), d.namespace(),
        d.reserveMemoryBytes(), d.heartbeat(), d.guestCgroups(), d.guestCgroupParent(), d.metricsPort(),
        d.networkCheckInterval(), d.allowedBridges(), d.httpImportAllow(), d.httpImportMaxBytes(), d.httpImportCacheMaxBytes(),
        d.httpImportCacheMaxAge());
  }

  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  /** The flags as picocli fills them in: text, checked by {@link #parse}. */
  @Command(name = "kvmguest-standalone", sortOptions = false, usageHelpWidth = 110,
      customSynopsis = "java -jar kvmguest-standalone.jar --state-dir DIR [options]   (as root)",
      description = {"kvmguest on one machine: an embedded Kubernetes API (kubectl works as on a cluster), the operator and",
          "this machine's node agent, in one process."})
  private static final class Flags {
    @Option(names = "--state-dir", paramLabel = "DIR",
        description = "the API's objects, guest records, disk images and the kubeconfig (required)")
    String stateDir;

    @Option(names = "--api-port", paramLabel = "N",
        description = "port of the embedded Kubernetes API on 127.0.0.1 (default 0: pick a free one)")
    String apiPort = "0";

    @Option(names = "--metrics-port", paramLabel = "N",
        description = "port of the Prometheus metrics endpoint on 127.0.0.1 (default 0: pick a free one; -1: off)")
    String metricsPort = "0";

    @Option(names = "--node-name", paramLabel = "NAME", description = "this machine's Node name (default: the host name)")
    String nodeName;

    @Option(names = "--network", paramLabel = "MODE", description = "nat (default) | existing | managed")
    String network = NetworkMode.NAT.toString();

    @Option(names = "--bridge", paramLabel = "NAME", description = "bridge for guest taps (default " + NetworkConfig.DEFAULT_BRIDGE + ")")
    String bridge = NetworkConfig.DEFAULT_BRIDGE;

    @Option(names = "--subnet", paramLabel = "CIDR", description = "nat mode: the guests' subnet (default 10.88.0.0/24)")
    String subnet = NetworkConfig.DEFAULT_NAT_SUBNET.toString();

    @Option(names = "--allowed-dir", paramLabel = "PATH", description = "where ISO and base-image paths may come from (repeatable)")
    List<String> allowedDirs = new ArrayList<>();

    @Option(names = "--keep-guests", description = "leave guests running on exit, to be adopted by the next start")
    boolean keepGuests;

    @Option(names = "--no-agent", description = "no node agent here, and no Node for this machine (agents run elsewhere)")
    boolean noAgent;

    @Option(names = "--no-operator", description = "no operator here; with --no-agent only the embedded API and kubeconfig")
    boolean noOperator;
  }
}
