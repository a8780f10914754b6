package io.kvmguest.standalone.apiserver;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Kubernetes API on 127.0.0.1 that plain kubectl can use (apply, get, describe, delete, wait, explain) and that
 * keeps its objects in a state directory across restarts. Objects live in fabric8's CRUD mock store; discovery,
 * OpenAPI, tables, patches, finalizers and persistence are added around it. Plain HTTP, no authentication:
 * it listens on loopback only.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  private final VertxApiFront front;
  private final KubernetesClient client;
  private final Bootstrap bootstrap;

  private EmbeddedApiServer(VertxApiFront front, KubernetesClient client) {
    this.front = front;
    this.client = client;
    this.bootstrap = new Bootstrap(client);
  }

  /**
   * Loads the objects saved under stateDir/apiserver, listens on port (0 picks a free one), and makes sure the
   * default and kube-system namespaces and the VirtualGuest CRD exist.
   */
  public static EmbeddedApiServer start(Path stateDir, int port) {
    ObjectStore store = new ObjectStore(new FileObjectSnapshots(stateDir.resolve("apiserver")));
    store.restore();
    AtomicInteger boundPort = new AtomicInteger(port);
    ApiRouter router = new ApiRouter(store, Clock.systemUTC(), () -> HOST + ":" + boundPort.get());
    VertxApiFront front = VertxApiFront.start(HOST, port, router::handle);
    boundPort.set(front.port());
    EmbeddedApiServer server = new EmbeddedApiServer(front, newClient(url(front.port())));
    try {
      server.bootstrap.run();
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  public int port() {
    return front.port();
  }

  /** http://127.0.0.1:PORT */
  public String url() {
    return url(port());
  }

  /** A client of this server, namespace default; closed with the server. */
  public KubernetesClient client() {
    return client;
  }

  /** Registers this machine (or any name) as a Ready Node with the given labels; relabels it if it exists. */
  public void registerNode(String name, Map<String, String> labels) {
    bootstrap.registerNode(name, labels);
  }

  /** Writes a kubeconfig for this server to file (see {@link Kubeconfig}). */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, url());
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      front.close();
    }
  }

  private static String url(int port) {
    return "http://" + HOST + ":" + port;
  }

  private static KubernetesClient newClient(String url) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace("default")
        .withHttp2Disable(true).withRequestRetryBackoffLimit(2).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
