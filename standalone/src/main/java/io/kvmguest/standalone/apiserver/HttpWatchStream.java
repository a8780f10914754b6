package io.kvmguest.standalone.apiserver;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch over a plain HTTP response: one JSON watch event per line in a chunked body, how client-go (kubectl get
 * -w, kubectl wait, kubectl delete) watches. The store's watch listener sees it as a web socket.
 */
final class HttpWatchStream implements WebSocket {
  private static final long DEFAULT_TIMEOUT_SECONDS = 1800;
  private final RecordedRequest request;
  private final HttpServerResponse out;
  private final AtomicBoolean ended = new AtomicBoolean();

  private HttpWatchStream(RecordedRequest request, HttpServerResponse out) {
    this.request = request;
    this.out = out;
  }

  static void open(Vertx vertx, HttpServerResponse out, RecordedRequest request, MockResponse response,
      Long timeoutSeconds) {
    WebSocketListener listener = response.getWebSocketListener();
    HttpWatchStream stream = new HttpWatchStream(request, out);
    AtomicBoolean closed = new AtomicBoolean();
    // The listener's close waits for its sender thread: never on the event loop.
    Runnable closeListener = () -> {
      if (closed.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> {
          listener.onClosed(stream, 1000, "watch ended");
          return null;
        }, false);
      }
    };
    out.setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
    out.closeHandler(v -> {
      stream.ended.set(true);
      closeListener.run();
    });
    long timeout = timeoutSeconds == null || timeoutSeconds <= 0 ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    long timer = vertx.setTimer(timeout * 1000, id -> {
      stream.close(1000, "timeout");
      closeListener.run();
    });
    out.endHandler(v -> vertx.cancelTimer(timer));
    out.writeHead();
    listener.onOpen(stream, response);
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    if (ended.get()) {
      return false;
    }
    out.write(text + "\n");
    return true;
  }

  @Override
  public boolean send(byte[] bytes) {
    return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean close(int code, String reason) {
    if (ended.compareAndSet(false, true)) {
      out.end();
    }
    return true;
  }
}
