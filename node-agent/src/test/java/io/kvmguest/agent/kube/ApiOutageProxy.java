package io.kvmguest.agent.kube;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a fixed loopback port in front of an API server, so a test can take "the API
 * server" away and bring it back on the same address without losing its data: {@link #down()}
 * closes the listener and every open connection (new ones are refused), {@link #up()} listens on
 * the same port again. Bytes pass through unchanged (TLS included).
 */
final class ApiOutageProxy implements AutoCloseable {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private ServerSocket listener;

  /** Listens on a free loopback port, forwarding to {@code targetPort} on loopback. */
  ApiOutageProxy(int targetPort) {
    this.target = new InetSocketAddress(LOOPBACK, targetPort);
    this.port = listen(0);
  }

  /** The URL to give the client under test, with the target's scheme. */
  String url(String scheme) {
    return scheme + "://" + LOOPBACK.getHostAddress() + ":" + port;
  }

  synchronized boolean isUp() {
    return listener != null;
  }

  /** Refuses new connections and cuts every open one. */
  synchronized void down() {
    if (listener == null) {
      return;
    }
    closeQuietly(listener);
    listener = null;
    open.forEach(ApiOutageProxy::closeQuietly);
    open.clear();
  }

  /** Accepts connections on the same port again. */
  synchronized void up() {
    if (listener == null) {
      listen(port);
    }
  }

  @Override
  public void close() {
    down();
  }

  private synchronized int listen(int onPort) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(LOOPBACK, onPort), 50);
      listener = socket;
      Thread accept = new Thread(() -> accept(socket), "api-proxy-accept-" + socket.getLocalPort());
      accept.setDaemon(true);
      accept.start();
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("api proxy cannot listen on loopback port " + onPort, e);
    }
  }

  private void accept(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException closed) {
        return; // down()
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(target, 5_000);
      } catch (IOException e) {
        closeQuietly(client);
        closeQuietly(upstream);
        continue;
      }
      synchronized (this) {
        if (listener != socket) { // went down meanwhile
          closeQuietly(client);
          closeQuietly(upstream);
          return;
        }
        open.add(client);
        open.add(upstream);
      }
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // cut by down() or by either side
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "api-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
