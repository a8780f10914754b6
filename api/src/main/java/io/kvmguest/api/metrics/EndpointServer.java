package io.kvmguest.api.metrics;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The small HTTP server behind each program's probe and metrics endpoints (JDK httpserver, one
 * daemon thread): bound at construction, serving only after {@link #start()}.
 */
public final class EndpointServer implements AutoCloseable {
  private final HttpServer server;

  private EndpointServer(InetSocketAddress address, String threadName, Map<String, HttpHandler> endpoints) throws IOException {
    server = HttpServer.create(address, 0);
    endpoints.forEach(server::createContext);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, threadName);
      thread.setDaemon(true);
      return thread;
    }));
  }

  /** On every address of the host (IPv4 and IPv6), for probes and scrapes from elsewhere; port 0 picks one. */
  public static EndpointServer onAllAddresses(int port, String threadName, Map<String, HttpHandler> endpoints) throws IOException {
    return new EndpointServer(new InetSocketAddress(port), threadName, endpoints);
  }

  /** On 127.0.0.1 only: for this machine's eyes. */
  public static EndpointServer onLoopback(int port, String threadName, Map<String, HttpHandler> endpoints) throws IOException {
    return new EndpointServer(new InetSocketAddress("127.0.0.1", port), threadName, endpoints);
  }

  /** A probe: 200 and {@code okText} while {@code check} holds, else 503 and {@code failText}. */
  public static HttpHandler probe(BooleanSupplier check, String okText, String failText) {
    return exchange -> {
      boolean ok = check.getAsBoolean();
      PlainTextReply.send(exchange, ok ? 200 : 503, ok ? okText : failText);
    };
  }

  public EndpointServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
