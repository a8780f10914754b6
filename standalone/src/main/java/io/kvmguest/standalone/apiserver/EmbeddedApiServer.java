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
 * OpenAPI, tables, patches, finalizers and persistence are added around it. HTTPS on loopback only
 * ({@link ServingCertificate}), and every request must carry the bearer token kept in the state dir
 * ({@link ApiToken}): loopback is shared by every local user and by guests' port forwards, and this API drives a
 * root agent.
 */
public final class EmbeddedApiServer implements AutoCloseable {
  public static final String HOST = "127.0.0.1";
  /** The token's file in the state dir. */
  public static final String TOKEN_FILE = "api-token";
  /** The TLS key and certificate's file in the state dir. */
  public static final String TLS_FILE = "api-tls.p12";
  private final VertxApiFront front;
  private final ApiToken token;
  private final ServingCertificate tls;
  private final KubernetesClient client;
  private final Bootstrap bootstrap;

  private EmbeddedApiServer(VertxApiFront front, ApiToken token, ServingCertificate tls, KubernetesClient client) {
    this.front = front;
    this.token = token;
    this.tls = tls;
    this.client = client;
    this.bootstrap = new Bootstrap(client);
  }

  /**
   * Loads the objects saved under stateDir/apiserver, the token from stateDir/api-token and the TLS key from
   * stateDir/api-tls.p12 (each made if missing),
   * listens on port (0 picks a free one), and makes sure the default and kube-system namespaces and the
   * VirtualGuest CRD exist.
   */
  public static EmbeddedApiServer start(Path stateDir, int port) {
    ApiToken token = ApiToken.loadOrCreate(stateDir.resolve(TOKEN_FILE));
    ServingCertificate tls = ServingCertificate.loadOrCreate(stateDir.resolve(TLS_FILE), HOST);
    ObjectStore store = new ObjectStore(new FileObjectSnapshots(stateDir.resolve("apiserver")));
    store.restore();
    AtomicInteger boundPort = new AtomicInteger(port);
    ApiRouter router = new ApiRouter(store, Clock.systemUTC(), () -> HOST + ":" + boundPort.get());
    VertxApiFront front = VertxApiFront.start(HOST, port, tls, token, router::handle);
    boundPort.set(front.port());
    EmbeddedApiServer server = new EmbeddedApiServer(front, token, tls, newClient(url(front.port()), token, tls));
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

  /** https://127.0.0.1:PORT */
  public String url() {
    return url(port());
  }

  /** The bearer token every request needs. */
  public ApiToken token() {
    return token;
  }

  /** The server's certificate in PEM, for clients to trust. */
  public String certificatePem() {
    return tls.pem();
  }

  /** A client of this server (with the token), namespace default; closed with the server. */
  public KubernetesClient client() {
    return client;
  }

  /** Registers this machine (or any name) as a Ready Node with the given labels; relabels it if it exists. */
  public void registerNode(String name, Map<String, String> labels) {
    bootstrap.registerNode(name, labels);
  }

  /** Writes a kubeconfig for this server, with its token, to file, mode 0600 (see {@link Kubeconfig}). */
  public Path writeKubeconfig(Path file) {
    return Kubeconfig.write(file, url(), tls, token);
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
    return "https://" + HOST + ":" + port;
  }

  // The operator and the agent in this process use this client, so they authenticate like any other caller.
  private static KubernetesClient newClient(String url, ApiToken token, ServingCertificate tls) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withCaCertData(tls.pemBase64())
        .withOauthToken(token.value()).withNamespace("default")
        .withHttp2Disable(true).withRequestRetryBackoffLimit(2).build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
