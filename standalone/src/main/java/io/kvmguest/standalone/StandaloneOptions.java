package io.kvmguest.standalone;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The standalone program's command line. Parsing is pure; errors name the flag and what it accepts. */
public record StandaloneOptions(
    Path stateDir,
    int apiPort,
    int metricsPort,
    String nodeName,
    String network,
    String bridge,
    Optional<String> subnet,
    List<Path> allowedDirs,
    boolean keepGuests) {

  public static final String USAGE = String.join("\n",
      "usage: java -jar kvmguest-standalone.jar --state-dir DIR [options]   (as root)",
      "  --state-dir DIR      the API's objects, guest records, disk images and the kubeconfig (required)",
      "  --api-port N         port of the embedded Kubernetes API on 127.0.0.1 (default 0: pick a free one)",
      "  --metrics-port N     port of the Prometheus metrics endpoint on 127.0.0.1 (default 0: pick a free one; -1: off)",
      "  --node-name NAME     this machine's Node name (default: the host name)",
      "  --network MODE       nat (default) | existing | managed",
      "  --bridge NAME        bridge for guest taps (default br0)",
      "  --subnet CIDR        nat mode: the guests' subnet (default 10.88.0.0/24)",
      "  --allowed-dir PATH   where ISO and base-image paths may come from (repeatable)",
      "  --keep-guests        leave guests running on exit, to be adopted by the next start");

  public static StandaloneOptions parse(List<String> args, String hostName) {
    Path stateDir = null;
    int apiPort = 0;
    int metricsPort = 0;
    String nodeName = hostName;
    String network = "nat";
    String bridge = "br0";
    Optional<String> subnet = Optional.empty();
    List<Path> dirs = new ArrayList<>();
    boolean keep = false;
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      if (flag.equals("--keep-guests")) {
        keep = true;
        continue;
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value\n" + USAGE : "unexpected argument " + flag + "\n" + USAGE);
      }
      String value = args.get(++i);
      switch (flag) {
        case "--state-dir" -> stateDir = Path.of(value).toAbsolutePath();
        case "--api-port" -> apiPort = port(flag, value, 0);
        case "--metrics-port" -> metricsPort = port(flag, value, -1);
        case "--node-name" -> nodeName = value;
        case "--network" -> network = value;
        case "--bridge" -> bridge = value;
        case "--subnet" -> subnet = Optional.of(value);
        case "--allowed-dir" -> dirs.add(Path.of(value).toAbsolutePath());
        default -> throw new IllegalArgumentException("unknown option " + flag + "\n" + USAGE);
      }
    }
    if (stateDir == null) {
      throw new IllegalArgumentException("--state-dir is required\n" + USAGE);
    }
    return new StandaloneOptions(stateDir, apiPort, metricsPort, nodeName, network, bridge, subnet, List.copyOf(dirs), keep);
  }

  /** The node agent's arguments for this standalone run. */
  public List<String> agentArgs() {
    List<String> args = new ArrayList<>(List.of("--state-dir", stateDir.resolve("node").toString(), "--node-name", nodeName,
        "--network", network, "--bridge", bridge));
    subnet.ifPresent(s -> args.addAll(List.of("--subnet", s)));
    allowedDirs.forEach(d -> args.addAll(List.of("--allowed-dir", d.toString())));
    if (keepGuests) {
      args.add("--keep-guests");
    }
    return args;
  }

  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  private static int port(String flag, String value, int min) {
    try {
      int port = Integer.parseInt(value);
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new IllegalArgumentException(flag + " must be a port number from " + min + " to 65535, got \"" + value + "\"");
  }
}
