package io.kvmguest.agent;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.agent.net.Ipv4Cidr;
import io.kvmguest.agent.net.NetworkConfig;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.api.validation.Quantities;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The node agent's command line. Parsing is pure; errors name the flag and what it accepts. */
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
    Duration stopGrace,
    boolean keepGuests,
    Optional<Path> kubeconfig,
    Optional<String> namespace,
    long reserveMemoryBytes,
    Duration heartbeat) {

  /** The --reserve-memory default: what the host keeps for itself and the agent. */
  public static final String DEFAULT_RESERVE_MEMORY = "512Mi";

  public static final String USAGE = String.join("\n",
      "usage: node-agent --state-dir DIR [options]",
      "Without --guests-dir the agent runs the guests the operator dispatches to this node through the Kubernetes API.",
      "  --state-dir DIR        where guest records, disk images and runtime files live (required)",
      "  --node-name NAME       this node's name (default: $NODE_NAME, else the host name)",
      "  --guests-dir DIR       run the guests defined by the *.yaml files in DIR (no cluster needed)",
      "  --kubeconfig PATH      Kubernetes mode: kubeconfig to use (default: in-cluster service account, $KUBECONFIG, ~/.kube/config)",
      "  --namespace NS         Kubernetes mode: watch guests in NS only (default: all namespaces)",
      "  --reserve-memory QTY   Kubernetes mode: memory kept from guests, a Kubernetes quantity (default 512Mi)",
      "  --heartbeat-seconds N  Kubernetes mode: how often the Node's heartbeat is refreshed (default 10)",
      "  --network MODE         existing | managed | nat (default nat)",
      "  --bridge NAME          bridge for guest taps (default br0)",
      "  --uplink NAME          managed mode: the NIC moved into the bridge (default eth0)",
      "  --subnet CIDR          nat mode: the guests' subnet (default 10.88.0.0/24)",
      "  --allowed-dir PATH     directory ISO and base-image paths may come from (repeatable)",
      "  --allowed-device PATH  block device guests may use; a trailing / allows a directory (repeatable)",
      "  --netns NAME           do all host networking and run qemu inside this network namespace",
      "  --vnc-listen ADDR      address VNC consoles listen on (default 127.0.0.1)",
      "  --stop-grace SECONDS   how long a guest may take to power off before qemu is ended (default 30)",
      "  --keep-guests          leave guests running on exit, for the next agent to adopt");

  /** {@code defaultNodeName}: the node name without --node-name ($NODE_NAME or the host name, see NodeAgentMain). */
  public static AgentOptions parse(List<String> args, String defaultNodeName) {
    Path stateDir = null;
    String nodeName = defaultNodeName;
    Optional<Path> guestsDir = Optional.empty();
    NetworkMode mode = NetworkMode.NAT;
    String bridge = NetworkConfig.DEFAULT_BRIDGE;
    String uplink = NetworkConfig.DEFAULT_UPLINK;
    Ipv4Cidr subnet = NetworkConfig.DEFAULT_NAT_SUBNET;
    List<Path> dirs = new ArrayList<>();
    List<String> devices = new ArrayList<>();
    Optional<String> netns = Optional.empty();
    String vncListen = "127.0.0.1";
    Duration grace = Duration.ofSeconds(30);
    boolean keep = false;
    Optional<Path> kubeconfig = Optional.empty();
    Optional<String> namespace = Optional.empty();
    long reserve = memory(DEFAULT_RESERVE_MEMORY);
    Duration heartbeat = Duration.ofSeconds(10);
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (flag.equals("--keep-guests")) {
        keep = true;
        continue;
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unexpected argument " + flag);
      }
      String value = args.get(++i);
      switch (flag) {
        case "--state-dir" -> stateDir = Path.of(value).toAbsolutePath();
        case "--node-name" -> nodeName = value;
        case "--guests-dir" -> guestsDir = Optional.of(Path.of(value).toAbsolutePath());
        case "--network" -> mode = NetworkMode.parse(value);
        case "--bridge" -> bridge = value;
        case "--uplink" -> uplink = value;
        case "--subnet" -> subnet = Ipv4Cidr.parse(value);
        case "--allowed-dir" -> dirs.add(Path.of(value).toAbsolutePath());
        case "--allowed-device" -> devices.add(value);
        case "--netns" -> netns = Optional.of(value);
        case "--vnc-listen" -> vncListen = ipAddress(value);
        case "--stop-grace" -> grace = Duration.ofSeconds(seconds(flag, value, 0));
        case "--kubeconfig" -> kubeconfig = Optional.of(Path.of(value).toAbsolutePath());
        case "--namespace" -> namespace = Optional.of(value);
        case "--reserve-memory" -> reserve = memory(value);
        case "--heartbeat-seconds" -> heartbeat = Duration.ofSeconds(seconds(flag, value, 1));
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    if (stateDir == null) {
      throw new IllegalArgumentException("--state-dir is required\n" + USAGE);
    }
    return new AgentOptions(stateDir, nodeName, guestsDir, mode, bridge, uplink, subnet, List.copyOf(dirs), List.copyOf(devices),
        netns, vncListen, grace, keep, kubeconfig, namespace, reserve, heartbeat);
  }

  public NetworkConfig networkConfig() {
    return NetworkConfig.defaults(networkMode, stateDir.resolve("network")).withBridge(bridge).withUplink(uplink).withNatSubnet(subnet);
  }

  private static String ipAddress(String value) {
    if (!value.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new IllegalArgumentException("--vnc-listen must be an IP address, got \"" + value + "\"");
    }
    try {
      return InetAddress.getByName(value).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("--vnc-listen must be an IP address, got \"" + value + "\"");
    }
  }

  private static long seconds(String flag, String value, long min) {
    try {
      long seconds = Long.parseLong(value);
      if (seconds >= min && seconds <= 3600) {
        return seconds;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(flag + " must be whole seconds from " + min + " to 3600, got \"" + value + "\"");
  }

  private static long memory(String value) {
    Optional<BigDecimal> bytes;
    try {
      bytes = value.isBlank() ? Optional.empty() : Quantities.bytes(new Quantity(value));
    } catch (RuntimeException e) {
      bytes = Optional.empty();
    }
    if (bytes.isEmpty() || bytes.get().signum() < 0) {
      throw new IllegalArgumentException("--reserve-memory must be a Kubernetes quantity such as 512Mi or 2Gi, got \"" + value + "\"");
    }
    return bytes.get().longValue();
  }
}
