package io.kvmguest.agent;

import static io.kvmguest.api.cli.FlagValues.bad;

import io.kvmguest.agent.cgroup.CgroupMode;
import io.kvmguest.agent.cgroup.CgroupName;
import io.kvmguest.agent.disk.DeviceGrant;
import io.kvmguest.agent.disk.IpRange;
import io.kvmguest.agent.net.Ipv4Cidr;
import io.kvmguest.agent.net.LinkNames;
import io.kvmguest.agent.net.NetworkConfig;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.api.cli.FlagParser;
import io.kvmguest.api.cli.FlagValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The node agent's command line. Parsing is pure (environment and host name come in as arguments);
 * errors name the flag and what it accepts.
 *
 * @param guestCgroups where each qemu the agent starts is put (see {@link CgroupMode})
 * @param guestCgroupParent the directory under /sys/fs/cgroup/&lt;hierarchy&gt;/ the guests' cgroups go in
 * @param vncListen the address VNC consoles listen on; any but loopback requires every console to have a password
 * @param portForwardAddress the IPv4 address user-networking forwarded ports listen on
 * @param metricsPort port of /metrics and /healthz on all addresses; 0 picks a free one, -1 is off
 * @param networkCheckInterval how often the bridge, dnsmasq and NAT rules are checked and repaired
 * @param allowedBridges bridges besides {@code bridge} that guest taps may join
 * @param httpImportAllow address ranges HTTP imports may reach besides public addresses
 * @param httpImportMaxBytes largest image an HTTP import may download
 * @param httpImportCacheMaxBytes the download cache is trimmed to this size (least recently used first)
 * @param httpImportCacheMaxAge a download unused this long is evicted
 */
public record AgentOptions(
    Path stateDir,
    String nodeName,
    Optional<Path> guestsDir,
    NetworkMode networkMode,
    String bridge,
    String uplink,
    Ipv4Cidr subnet,
    List<Path> allowedDirs,
    List<String> allowedDevices,
    Optional<String> netns,
    String vncListen,
    String portForwardAddress,
    Duration stopGrace,
    boolean keepGuests,
    Optional<Path> kubeconfig,
    Optional<String> namespace,
    long reserveMemoryBytes,
    Duration heartbeat,
    CgroupMode guestCgroups,
    String guestCgroupParent,
    int metricsPort,
    Duration networkCheckInterval,
    List<String> allowedBridges,
    List<IpRange> httpImportAllow,
    long httpImportMaxBytes,
    long httpImportCacheMaxBytes,
    Duration httpImportCacheMaxAge) {

  /** The --reserve-memory default: what the host keeps for itself and the agent. */
  public static final String DEFAULT_RESERVE_MEMORY = "512Mi";
  public static final String DEFAULT_VNC_LISTEN = "127.0.0.1";
  public static final String DEFAULT_PORT_FORWARD_ADDRESS = "127.0.0.1";
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  public static final CgroupMode DEFAULT_GUEST_CGROUPS = CgroupMode.NONE;
  public static final String DEFAULT_GUEST_CGROUP_PARENT = "kvmguest";
  public static final Duration DEFAULT_NETWORK_CHECK_INTERVAL = Duration.ofSeconds(10);
  public static final String DEFAULT_HTTP_IMPORT_MAX_BYTES = "64Gi";
  public static final String DEFAULT_HTTP_IMPORT_CACHE_MAX_BYTES = "200Gi";
  public static final Duration DEFAULT_HTTP_IMPORT_CACHE_MAX_AGE = Duration.ofDays(14);
  /** The environment variable a DaemonSet sets to its node's name (downward API, spec.nodeName). */
  public static final String NODE_NAME_ENV = "NODE_NAME";

  public AgentOptions {
    allowedDirs = List.copyOf(allowedDirs);
    allowedDevices = List.copyOf(allowedDevices);
    allowedBridges = List.copyOf(allowedBridges);
    httpImportAllow = List.copyOf(httpImportAllow);
  }

  /** Every default, for a caller (standalone) that builds its agent's options in code. */
  public static AgentOptions defaults(Path stateDir, String nodeName) {
    return new AgentOptions(stateDir, nodeName, Optional.empty(), NetworkMode.NAT, NetworkConfig.DEFAULT_BRIDGE,
        NetworkConfig.DEFAULT_UPLINK, NetworkConfig.DEFAULT_NAT_SUBNET, List.of(), List.of(), Optional.empty(), DEFAULT_VNC_LISTEN,
        DEFAULT_PORT_FORWARD_ADDRESS, DEFAULT_STOP_GRACE, false, Optional.empty(), Optional.empty(),
        FlagValues.bytes("--reserve-memory", DEFAULT_RESERVE_MEMORY),
        DEFAULT_HEARTBEAT, DEFAULT_GUEST_CGROUPS, DEFAULT_GUEST_CGROUP_PARENT, -1, DEFAULT_NETWORK_CHECK_INTERVAL,
        List.of(), List.of(), FlagValues.bytes("--http-import-max-bytes", DEFAULT_HTTP_IMPORT_MAX_BYTES),
        FlagValues.bytes("--http-import-cache-max-bytes", DEFAULT_HTTP_IMPORT_CACHE_MAX_BYTES), DEFAULT_HTTP_IMPORT_CACHE_MAX_AGE);
  }

  /**
   * The agent's options from its arguments. The node name without --node-name is {@code env}'s
   * $NODE_NAME (a pod's host name is not its node's name), else {@code hostName}.
   */
  public static AgentOptions parse(List<String> args, Map<String, String> env, String hostName) {
    Flags f = FlagParser.parse(new Flags(), args);
    if (f.stateDir == null) {
      throw new IllegalArgumentException("--state-dir is required");
    }
    String nodeName = Optional.ofNullable(f.nodeName)
        .or(() -> Optional.ofNullable(env.get(NODE_NAME_ENV)).map(String::trim).filter(s -> !s.isEmpty()))
        .orElse(hostName);
    if (nodeName.isBlank()) {
      throw new IllegalArgumentException("--node-name must not be empty");
    }
    return new AgentOptions(
        absolute(f.stateDir),
        nodeName,
        Optional.ofNullable(f.guestsDir).map(AgentOptions::absolute),
        networkMode("--network", f.network),
        f.bridge,
        f.uplink,
        FlagValues.parsed("--subnet", f.subnet, Ipv4Cidr::parse),
        f.allowedDirs.stream().map(AgentOptions::absolute).toList(),
        f.allowedDevices.stream().map(entry -> deviceEntry("--allowed-device", entry)).toList(),
        Optional.ofNullable(f.netns),
        FlagValues.ipAddress("--vnc-listen", f.vncListen),
        ipv4("--port-forward-address", f.portForwardAddress),
        FlagValues.wholeSeconds("--stop-grace", f.stopGrace, 0),
        f.keepGuests,
        Optional.ofNullable(f.kubeconfig).map(AgentOptions::absolute),
        Optional.ofNullable(f.namespace),
        FlagValues.bytes("--reserve-memory", f.reserveMemory),
        FlagValues.wholeSeconds("--heartbeat-seconds", f.heartbeatSeconds, 1),
        CgroupMode.parse(f.guestCgroups),
        cgroupParent("--guest-cgroup-parent", f.guestCgroupParent),
        FlagValues.port("--metrics-port", f.metricsPort, -1),
        FlagValues.wholeSeconds("--network-check-interval", f.networkCheckInterval, 1),
        f.allowedBridges.stream().map(name -> LinkNames.require("--allowed-bridge", name)).toList(),
        f.httpImportAllow.stream().map(cidr -> FlagValues.parsed("--http-import-allow", cidr, IpRange::parse)).toList(),
        positiveBytes("--http-import-max-bytes", f.httpImportMaxBytes),
        FlagValues.bytes("--http-import-cache-max-bytes", f.httpImportCacheMaxBytes),
        wholeHours("--http-import-cache-max-age-hours", f.httpImportCacheMaxAgeHours));
  }

  /** The --help text. */
  public static String usage() {
    return FlagParser.usage(new Flags());
  }

  public NetworkConfig networkConfig() {
    return NetworkConfig.defaults(networkMode, stateDir.resolve("network")).withBridge(bridge).withUplink(uplink).withNatSubnet(subnet);
  }

  /** existing | managed | nat (any case), as the agent and standalone accept them. */
  public static NetworkMode networkMode(String flag, String value) {
    try {
      return NetworkMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw bad(flag, "one of " + String.join(", ", Arrays.stream(NetworkMode.values()).map(NetworkMode::toString).toList()), value);
    }
  }

  /** Checked here too, so a bad entry stops the agent at its command line, naming the flag. */
  private static String deviceEntry(String flag, String entry) {
    DeviceGrant.parse(flag, entry);
    return entry;
  }

  /** qemu 7.2's hostfwd takes an IPv4 host address only. */
  private static String ipv4(String flag, String value) {
    String address = FlagValues.ipAddress(flag, value);
    if (address.contains(":")) {
      throw bad(flag, "an IPv4 address (qemu's hostfwd listens on IPv4 only)", value);
    }
    return address;
  }

  /** It becomes a directory name in every cgroup hierarchy: one plain path component. */
  private static String cgroupParent(String flag, String value) {
    if (value.length() > 64 || !CgroupName.safe(value)) {
      throw bad(flag, "1 to 64 of A-Z a-z 0-9 _ . - (not ., no ..)", value);
    }
    return value;
  }

  private static long positiveBytes(String flag, String value) {
    long bytes = FlagValues.bytes(flag, value);
    if (bytes < 1) {
      throw bad(flag, "a Kubernetes quantity of at least 1 byte, such as 64Gi", value);
    }
    return bytes;
  }

  private static Duration wholeHours(String flag, String value) {
    try {
      long hours = Long.parseLong(value.trim());
      if (hours >= 1 && hours <= 24 * 3650) {
        return Duration.ofHours(hours);
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw bad(flag, "whole hours from 1 to 87600", value);
  }

  private static Path absolute(String path) {
    return Path.of(path).toAbsolutePath();
  }

  /** The flags as picocli fills them in: text, checked by {@link #parse}. */
  @Command(name = "node-agent", sortOptions = false, usageHelpWidth = 110,
      description = {"Runs qemu guests on this node. Without --guests-dir it runs the guests the operator dispatches to this node",
          "through the Kubernetes API."})
  private static final class Flags {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "where guest records, disk images and runtime files live (required)")
    String stateDir;

    @Option(names = "--node-name", paramLabel = "NAME", description = "this node's name (default: $NODE_NAME, else the host name)")
    String nodeName;

    @Option(names = "--guests-dir", paramLabel = "DIR", description = "run the guests defined by the *.yaml files in DIR (no cluster needed)")
    String guestsDir;

    @Option(names = "--kubeconfig", paramLabel = "PATH",
        description = "Kubernetes mode: kubeconfig to use (default: in-cluster service account, $KUBECONFIG, ~/.kube/config)")
    String kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", description = "Kubernetes mode: watch guests in NS only (default: all namespaces)")
    String namespace;

    @Option(names = "--reserve-memory", paramLabel = "QTY",
        description = "Kubernetes mode: memory kept from guests, a Kubernetes quantity (default " + DEFAULT_RESERVE_MEMORY + ")")
    String reserveMemory = DEFAULT_RESERVE_MEMORY;

    @Option(names = "--heartbeat-seconds", paramLabel = "N",
        description = "Kubernetes mode: how often the node's heartbeat Lease (kube-node-lease/kvmguest-agent-<node>) is renewed, 1..3600 (default 10)")
    String heartbeatSeconds = Long.toString(DEFAULT_HEARTBEAT.toSeconds());

    @Option(names = "--network", paramLabel = "MODE", description = "existing | managed | nat (default nat)")
    String network = NetworkMode.NAT.toString();

    @Option(names = "--bridge", paramLabel = "NAME", description = "bridge for guest taps (default " + NetworkConfig.DEFAULT_BRIDGE + ")")
    String bridge = NetworkConfig.DEFAULT_BRIDGE;

    @Option(names = "--uplink", paramLabel = "NAME",
        description = "managed mode: the NIC moved into the bridge (default " + NetworkConfig.DEFAULT_UPLINK + ")")
    String uplink = NetworkConfig.DEFAULT_UPLINK;

    @Option(names = "--subnet", paramLabel = "CIDR", description = "nat mode: the guests' subnet (default 10.88.0.0/24)")
    String subnet = NetworkConfig.DEFAULT_NAT_SUBNET.toString();

    @Option(names = "--allowed-bridge", paramLabel = "NAME",
        description = "another host bridge guest NICs may name in network.bridge.name (repeatable; default: only --bridge)")
    List<String> allowedBridges = new ArrayList<>();

    @Option(names = "--allowed-dir", paramLabel = "PATH", description = "directory ISO and base-image paths may come from (repeatable)")
    List<String> allowedDirs = new ArrayList<>();

    @Option(names = "--allowed-device", paramLabel = "PATH[=NS,...]",
        description = "block device guests may use; a trailing / allows a directory; =NS,... only for guests in those"
            + " namespaces, none: every namespace (repeatable)")
    List<String> allowedDevices = new ArrayList<>();

    @Option(names = "--netns", paramLabel = "NAME", description = "do all host networking and run qemu inside this network namespace")
    String netns;

    @Option(names = "--vnc-listen", paramLabel = "ADDR", description = "IP address VNC consoles listen on; other than loopback, every console needs a password (default " + DEFAULT_VNC_LISTEN + ")")
    String vncListen = DEFAULT_VNC_LISTEN;

    @Option(names = "--port-forward-address", paramLabel = "ADDR",
        description = "IPv4 address the host side of user-networking port forwards listens on (default " + DEFAULT_PORT_FORWARD_ADDRESS + ")")
    String portForwardAddress = DEFAULT_PORT_FORWARD_ADDRESS;

    @Option(names = "--stop-grace", paramLabel = "SECONDS",
        description = "how long a guest may take to power off before qemu is ended, 0..3600 (default 30)")
    String stopGrace = Long.toString(DEFAULT_STOP_GRACE.toSeconds());

    @Option(names = "--keep-guests", description = "leave guests running on exit, for the next agent to adopt")
    boolean keepGuests;

    @Option(names = "--guest-cgroups", paramLabel = "MODE",
        description = "where each qemu runs: auto | systemd | cgroupfs | none (default none: in the agent's cgroup)")
    String guestCgroups = DEFAULT_GUEST_CGROUPS.flagValue();

    @Option(names = "--guest-cgroup-parent", paramLabel = "NAME",
        description = "cgroup directory the guests' cgroups go in, [A-Za-z0-9_.-]{1,64} (default " + DEFAULT_GUEST_CGROUP_PARENT + ")")
    String guestCgroupParent = DEFAULT_GUEST_CGROUP_PARENT;

    @Option(names = "--metrics-port", paramLabel = "N",
        description = "serve /metrics and /healthz on 0.0.0.0:N, 0 picks a free port (default -1: off)")
    String metricsPort = "-1";

    @Option(names = "--network-check-interval", paramLabel = "SECONDS",
        description = "how often the bridge, dnsmasq and NAT rules are checked and what is missing put back, 1..3600 (default 10)")
    String networkCheckInterval = Long.toString(DEFAULT_NETWORK_CHECK_INTERVAL.toSeconds());

    @Option(names = "--http-import-allow", paramLabel = "CIDR",
        description = "let HTTP imports reach this range too, e.g. 10.20.0.0/16 for an internal mirror (repeatable; default: public"
            + " addresses only, never loopback, link-local incl. 169.254.169.254, private ranges or this node's addresses)")
    List<String> httpImportAllow = new ArrayList<>();

    @Option(names = "--http-import-max-bytes", paramLabel = "QTY",
        description = "largest image an HTTP import may download, a Kubernetes quantity (default " + DEFAULT_HTTP_IMPORT_MAX_BYTES + ")")
    String httpImportMaxBytes = DEFAULT_HTTP_IMPORT_MAX_BYTES;

    @Option(names = "--http-import-cache-max-bytes", paramLabel = "QTY",
        description = "trim the download cache to this size, least recently used first; entries guest disks read through to stay"
            + " (default " + DEFAULT_HTTP_IMPORT_CACHE_MAX_BYTES + ")")
    String httpImportCacheMaxBytes = DEFAULT_HTTP_IMPORT_CACHE_MAX_BYTES;

    @Option(names = "--http-import-cache-max-age-hours", paramLabel = "N",
        description = "evict a download unused for N hours, 1..87600 (default 336: 14 days)")
    String httpImportCacheMaxAgeHours = Long.toString(DEFAULT_HTTP_IMPORT_CACHE_MAX_AGE.toHours());
  }
}
