package io.kvmguest.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.agent.cgroup.GuestCgroups;
import io.kvmguest.agent.disk.Allowlist;
import io.kvmguest.agent.disk.DiskPreparer;
import io.kvmguest.agent.disk.DownloadCacheEviction;
import io.kvmguest.agent.disk.DownloadLimits;
import io.kvmguest.agent.disk.GuestBackingFiles;
import io.kvmguest.agent.disk.ImportAddressPolicy;
import io.kvmguest.agent.disk.NodeAddresses;
import io.kvmguest.agent.disk.QemuImg;
import io.kvmguest.agent.disk.HttpImporter;
import io.kvmguest.agent.disk.LinuxQemuImg;
import io.kvmguest.agent.disk.LinuxRealPaths;
import io.kvmguest.agent.disk.StorageConfig;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.host.HostFacts;
import io.kvmguest.agent.host.HostFactsProbe;
import io.kvmguest.agent.host.LinuxHostFiles;
import io.kvmguest.api.kube.ConflictRetry;
import io.kvmguest.agent.kube.KubernetesClients;
import io.kvmguest.agent.kube.KubernetesGuestSource;
import io.kvmguest.agent.kube.KubernetesSecretSource;
import io.kvmguest.agent.kube.KubernetesStatusSink;
import io.kvmguest.agent.kube.NodePublisher;
import io.kvmguest.agent.metrics.AgentMetricsServer;
import io.kvmguest.agent.metrics.GuestMetrics;
import io.kvmguest.agent.net.AllowedBridges;
import io.kvmguest.agent.net.BridgeStatus;
import io.kvmguest.agent.net.GuestAddresses;
import io.kvmguest.agent.net.HostBridge;
import io.kvmguest.agent.net.HostBridges;
import io.kvmguest.agent.net.LinuxDhcpServer;
import io.kvmguest.agent.net.LinuxHostNetwork;
import io.kvmguest.agent.net.LinuxNatFirewall;
import io.kvmguest.agent.net.LinuxReachability;
import io.kvmguest.agent.net.NetworkConfig;
import io.kvmguest.agent.net.NetworkMode;
import io.kvmguest.agent.net.NetworkWatchdog;
import io.kvmguest.agent.net.TapDevices;
import io.kvmguest.agent.qemu.QemuCommandBuilder;
import io.kvmguest.agent.qmp.UnixSocketQmpMonitor;
import io.kvmguest.agent.runtime.ExitInbox;
import io.kvmguest.agent.runtime.GuestLauncher;
import io.kvmguest.agent.runtime.GuestServices;
import io.kvmguest.agent.runtime.HistoryStore;
import io.kvmguest.agent.runtime.HostPorts;
import io.kvmguest.agent.runtime.ListenAddresses;
import io.kvmguest.agent.runtime.NodeAgent;
import io.kvmguest.agent.runtime.SecretSource;
import io.kvmguest.agent.runtime.VncDisplays;
import io.kvmguest.api.kube.GuestEvents;
import io.kvmguest.api.kube.KubernetesGuestEvents;
import io.kvmguest.agent.disk.BoundedQemuImg;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.source.GuestSource;
import io.kvmguest.agent.source.StatusSink;
import io.kvmguest.agent.supervise.GuestControl;
import io.kvmguest.agent.supervise.GuestRecordStore;
import io.kvmguest.agent.supervise.GuestSupervisor;
import io.kvmguest.agent.supervise.LinuxProcessTable;
import io.kvmguest.agent.supervise.QemuLauncher;
import io.kvmguest.agent.supervise.QmpGuestControl;
import io.kvmguest.api.cli.CommandLineExit;
import io.kvmguest.api.cli.HostName;
import io.kvmguest.api.cli.RunUntilShutdown;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node agent program: all constructor wiring in one place. */
public final class NodeAgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentMain.class);

  /** The component the agent's Events name as their source. */
  public static final String AGENT_COMPONENT = "kvmguest-node-agent";

  private NodeAgentMain() {}

  /**
   * A wired agent, nothing started yet, plus the parts a caller (standalone, tests) may need.
   * {@code ownsNetwork}: the agent made its network (NAT) and removes it with its guests.
   */
  public record Wired(NodeAgent agent, HostFacts facts, HostBridge bridge, BridgeStatus bridgeStatus,
      GuestMetrics metrics, NetworkWatchdog networkWatchdog, boolean ownsNetwork) {

    /** Starts every thread of the agent, all built before: guest dispatch and supervision, the metrics sampler, the network check. */
    public void start() {
      agent.start();
      metrics.start();
      networkWatchdog.start();
    }

    /**
     * Stops them; without {@code keepGuests} the guests are powered off (all at once) and a NAT
     * network the agent made is removed (bridge, dnsmasq, rules). An admin's bridge (existing) and
     * a managed uplink stay as they are.
     */
    public void stop(boolean keepGuests) {
      metrics.close();
      networkWatchdog.close();
      agent.close(keepGuests);
      if (!keepGuests && ownsNetwork) {
        bridge.teardown();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String hostName = HostName.local();
    AgentOptions options = CommandLineExit.parseOrExit("node-agent", () -> AgentOptions.parse(Arrays.asList(args), System.getenv(), hostName));
    Files.createDirectories(options.stateDir());
    PrometheusEndpoint registry = PrometheusEndpoint.withJvmMetrics();
    Started started = options.guestsDir().isPresent() ? runFromFiles(options, registry) : runOnCluster(options, registry);
    AutoCloseable metrics = startMetrics(options, started.wired(), registry);
    RunUntilShutdown.closeOnShutdown("node-agent", () -> {
      metrics.close();
      started.stop().close();
    }).await();
  }

  /** A started agent: its parts, and what stops it. */
  private record Started(Wired wired, AutoCloseable stop) {}

  /** With --metrics-port: /metrics and /healthz for the DaemonSet's Service and probes. */
  private static AutoCloseable startMetrics(AgentOptions options, Wired wired, PrometheusEndpoint registry) throws IOException {
    if (options.metricsPort() < 0) {
      return () -> {};
    }
    AgentMetricsServer server = new AgentMetricsServer(options.metricsPort(), registry, wired.agent()::isRunning).start();
    LOG.info("metrics on http://0.0.0.0:{}/metrics", server.port());
    return server;
  }

  /** Without a cluster: guests from {@code --guests-dir}, status files next to them. */
  private static Started runFromFiles(AgentOptions options, PrometheusEndpoint registry) {
    GuestSource source = new DirectoryGuestSource(options.guestsDir().get(), Duration.ofMillis(500));
    StatusSink sink = new DirectoryStatusSink(options.guestsDir().get().resolve("status"));
    Wired wired = wire(options, source, sink, SecretSource.NONE, GuestEvents.NONE, registry);
    wired.start();
    LOG.info("node agent ready on {}: {} guests dir {}", options.nodeName(), wired.bridgeStatus().message(), options.guestsDir().get());
    return new Started(wired, () -> wired.stop(options.keepGuests()));
  }

  /** On a cluster: the guests dispatched to this node, status through the API, the Node kept current. */
  private static Started runOnCluster(AgentOptions options, PrometheusEndpoint registry) {
    KubernetesClient client = KubernetesClients.fromEnvironment(options.kubeconfig());
    Started agent = startWiredOnCluster(options, client, registry);
    return new Started(agent.wired(), () -> {
      agent.stop().close();
      client.close();
    });
  }

  /**
   * Starts the agent against {@code client} (which the caller keeps and closes); close stops it.
   * Its guest and node metrics go into {@code metrics}, which the caller serves (and may share).
   */
  public static AutoCloseable startOnCluster(AgentOptions options, KubernetesClient client, PrometheusEndpoint metrics) {
    return startWiredOnCluster(options, client, metrics).stop();
  }

  private static Started startWiredOnCluster(AgentOptions options, KubernetesClient client, PrometheusEndpoint metrics) {
    String node = options.nodeName();
    KubernetesGuestEvents events = new KubernetesGuestEvents(client, AGENT_COMPONENT, java.util.Optional.of(node), Clock.systemUTC());
    Wired wired = wire(options, new KubernetesGuestSource(client, node, options.namespace(), Duration.ofSeconds(60)),
        new KubernetesStatusSink(client, node, ConflictRetry.defaults()), new KubernetesSecretSource(client),
        events, metrics);
    NodePublisher publisher = new NodePublisher(client, node, wired.facts(), () -> wired.bridgeStatus().ready(),
        wired.agent()::degraded, options.reserveMemoryBytes(), options.heartbeat(), Clock.systemUTC());
    wired.start();
    publisher.start();
    LOG.info("node agent ready on node {} ({}): {}; watching guests labelled {}={} in {}", node, client.getMasterUrl(),
        wired.bridgeStatus().message(), ClusterContract.NODE_LABEL, node, options.namespace().map(ns -> "namespace " + ns).orElse("all namespaces"));
    return new Started(wired, () -> {
      // Not ready first, so the operator places nothing new here while the guests go down.
      publisher.close();
      wired.stop(options.keepGuests());
      events.close();
    });
  }

  /** {@link #wire(AgentOptions, GuestSource, StatusSink, SecretSource, GuestEvents, PrometheusEndpoint)} without Events, with a registry of its own. */
  public static Wired wire(AgentOptions options, GuestSource source, StatusSink sink, SecretSource secrets) {
    return wire(options, source, sink, secrets, GuestEvents.NONE, PrometheusEndpoint.withJvmMetrics());
  }

  /**
   * Which qemu the agent runs and how it talks to it: the probed qemu-system-x86_64 over QMP in
   * production; a benchmark of the agent's own pipeline swaps in a stand-in without a monitor.
   */
  public record QemuWiring(UnaryOperator<HostFacts> facts, GuestControl.Factory control) {
    public static QemuWiring probed() {
      return new QemuWiring(UnaryOperator.identity(),
          QmpGuestControl.factory(UnixSocketQmpMonitor::connect, Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }
  }

  /**
   * Wires the agent; its guest and node metrics are registered with {@code registry} (sampled once
   * started), what happens to guests goes to {@code events}.
   */
  public static Wired wire(AgentOptions options, GuestSource source, StatusSink sink, SecretSource secrets, GuestEvents events,
      PrometheusEndpoint registry) {
    return wire(options, source, sink, secrets, events, registry, QemuWiring.probed());
  }

  /** {@link #wire(AgentOptions, GuestSource, StatusSink, SecretSource, GuestEvents, PrometheusEndpoint)} with the qemu of {@code qemu}. */
  public static Wired wire(AgentOptions options, GuestSource source, StatusSink sink, SecretSource secrets, GuestEvents events,
      PrometheusEndpoint registry, QemuWiring qemu) {
    LinuxCommandRunner runner = new LinuxCommandRunner(options.netns());
    HostFacts facts = qemu.facts().apply(new HostFactsProbe(new LinuxHostFiles(), runner, HostFactsProbe.defaultQemuCandidates()).probe());
    if (!facts.hasQemu()) {
      throw new IllegalStateException("qemu-system-x86_64 is not installed on this node");
    }
    NetworkConfig netConfig = options.networkConfig();
    LinuxHostNetwork net = new LinuxHostNetwork(runner);
    HostBridge bridge = HostBridges.forConfig(netConfig, net, new LinuxReachability(runner), new LinuxNatFirewall(runner),
        new LinuxDhcpServer(runner));
    BridgeStatus bridgeStatus = bridge.ensure();
    if (!bridgeStatus.ready()) {
      LOG.warn("bridge {} not ready ({}): {}; guests start with unattached NICs", bridgeStatus.bridge(), bridgeStatus.reason(),
          bridgeStatus.message());
    }
    TapDevices taps = new TapDevices(net);
    StorageConfig storage = StorageConfig.of(options.stateDir(), options.allowedDirs(), options.allowedDevices(),
        options.stateDir().resolve("cache"));
    // qemu-img touches files only: it needs no switch into the agent's network namespace
    QemuImg qemuImg = new BoundedQemuImg(new LinuxQemuImg(LinuxCommandRunner.inRootNamespace()), Runtime.getRuntime().availableProcessors());
    DownloadCacheEviction eviction = new DownloadCacheEviction(storage.cacheDir(), options.httpImportCacheMaxAge(),
        options.httpImportCacheMaxBytes(), Duration.ofHours(1), new GuestBackingFiles(storage, qemuImg), Clock.systemUTC());
    HttpImporter importer = new HttpImporter(storage.cacheDir(), DownloadLimits.defaults().withMaxBytes(options.httpImportMaxBytes()),
        new ImportAddressPolicy(options.httpImportAllow(), NodeAddresses.all()), eviction::evict);
    importer.discardPartialDownloads();
    eviction.evict();
    DiskPreparer disks = new DiskPreparer(storage, new Allowlist(storage, new LinuxRealPaths()), qemuImg, importer);
    ExitInbox exits = new ExitInbox();
    GuestSupervisor supervisor = new GuestSupervisor(new GuestRecordStore(options.stateDir()),
        new QemuLauncher(runner, Duration.ofSeconds(60)),
        GuestCgroups.forMode(options.guestCgroups(), options.guestCgroupParent()),
        new LinuxProcessTable(), qemu.control(), Clock.systemUTC(), Duration.ofMillis(200), exits);
    VncDisplays displays = new VncDisplays(100);
    GuestLauncher launcher = new GuestLauncher(facts, taps, AllowedBridges.of(netConfig.bridge(), options.allowedBridges()), disks,
        new QemuCommandBuilder(facts.qemuBinary()), supervisor, displays, new HostPorts(),
        new ListenAddresses(options.vncListen(), options.portForwardAddress()), secrets, options.stateDir());
    GuestAddresses addresses = GuestAddresses.forConfig(net, netConfig, Clock.systemUTC());
    GuestMetrics metrics = new GuestMetrics();
    GuestServices services = new GuestServices(sink, events, launcher, supervisor, taps, disks, new HistoryStore(options.stateDir()),
        addresses::ipv4Of, netConfig.bridge(), options.vncListen(), options.stopGrace(), Clock.systemUTC(), metrics.lifecycle());
    NodeAgent agent = new NodeAgent(source, services, exits);
    NetworkWatchdog watchdog = new NetworkWatchdog(bridge, options.networkCheckInterval(), agent::networkRepaired);
    metrics.bind(registry, agent::guestViews, supervisor, runner, facts, options.nodeName(), options.reserveMemoryBytes(),
        GuestMetrics.DEFAULT_INTERVAL);
    return new Wired(agent, facts, bridge, bridgeStatus, metrics, watchdog, netConfig.mode() == NetworkMode.NAT);
  }
}
