package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/**
 * Rewrites or drops the events of a store watch on their way out: Tables instead of objects for
 * {@code kubectl get -w}, and no replay of objects the watcher already listed (the store sends every matching
 * object as ADDED when a watch opens, whatever resourceVersion it starts from).
 */
final class WatchEventRewriter extends WebSocketListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final WebSocketListener delegate;
  private final UnaryOperator<ObjectNode> rewrite;
  private volatile WebSocket rendering;

  /** rewrite returns the event to send, or null to drop it. */
  WatchEventRewriter(WebSocketListener delegate, UnaryOperator<ObjectNode> rewrite) {
    this.delegate = delegate;
    this.rewrite = rewrite;
  }

  /** Drops ADDED events of objects not newer than resourceVersion (the replay of what was listed). */
  static UnaryOperator<ObjectNode> newerThan(long resourceVersion) {
    return event -> {
      long version = event.path("object").path("metadata").path("resourceVersion").asLong(Long.MAX_VALUE);
      return "ADDED".equals(event.path("type").asText()) && version <= resourceVersion ? null : event;
    };
  }

  /** Replaces the object of each event by the Table rendering of it. */
  static UnaryOperator<ObjectNode> asTable(java.util.function.Function<JsonNode, String> render) {
    return event -> {
      if (event.path("object").isObject() && !"ERROR".equals(event.path("type").asText())) {
        try {
          event.set("object", JSON.readTree(render.apply(event.get("object"))));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return event;
    };
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    rendering = new RenderingSocket(webSocket);
    delegate.onOpen(rendering, response);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrapped(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(wrapped(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable error, Response response) {
    delegate.onFailure(wrapped(webSocket), error, response);
  }

  private WebSocket wrapped(WebSocket webSocket) {
    return rendering != null ? rendering : webSocket;
  }

  private final class RenderingSocket implements WebSocket {
    private final WebSocket socket;

    RenderingSocket(WebSocket socket) {
      this.socket = socket;
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      try {
        ObjectNode event = rewrite.apply((ObjectNode) JSON.readTree(text));
        return event == null || socket.send(event.toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public boolean send(byte[] bytes) {
      return socket.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }
}
