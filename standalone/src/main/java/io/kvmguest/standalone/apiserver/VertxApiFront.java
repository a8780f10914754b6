package io.kvmguest.standalone.apiserver;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.ServerWebSocketHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The HTTP side of the embedded API server, on Vert.x like fabric8's mock web server, but streaming watches over
 * plain HTTP (client-go) as well as web sockets (fabric8 client), keeping no request history and answering every
 * request even when handling it fails. Reads run on the event loop; writes, which touch the disk, on a worker.
 * A request without the API's bearer token is answered 401 before its body is read or anything else is looked at.
 */
final class VertxApiFront implements AutoCloseable {
  private static final long START_STOP_TIMEOUT_SECONDS = 10;
  private final Vertx vertx;
  private final HttpServer server;

  private VertxApiFront(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  static VertxApiFront start(String host, int port, ServingCertificate tls, ApiToken token,
      Function<RecordedRequest, MockResponse> handler) {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
        .setSsl(true).setKeyCertOptions(tls.keyCertOptions()).setHandle100ContinueAutomatically(true));
    server.requestHandler(req -> {
      if (token.admits(req.getHeader("Authorization"))) {
        accept(vertx, req, handler);
      } else {
        respond(vertx, req, null, ApiErrors.unauthorized());
      }
    });
    try {
      await(server.listen().toCompletionStage().toCompletableFuture());
    } catch (RuntimeException e) {
      vertx.close();
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new VertxApiFront(vertx, server);
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      await(server.close().toCompletionStage().toCompletableFuture());
    } finally {
      await(vertx.close().toCompletionStage().toCompletableFuture());
    }
  }

  private static void accept(Vertx vertx, HttpServerRequest req, Function<RecordedRequest, MockResponse> handler) {
    if (req.method() == io.vertx.core.http.HttpMethod.GET) {
      RecordedRequest request = recorded(req, new byte[0]);
      respond(vertx, req, request, safely(handler, request));
      return;
    }
    req.body().onFailure(err -> req.response().setStatusCode(400).end())
        .onSuccess(body -> {
          RecordedRequest request = recorded(req, body.getBytes());
          vertx.executeBlocking(() -> safely(handler, request), false)
              .onSuccess(response -> respond(vertx, req, request, response))
              .onFailure(err -> respond(vertx, req, request, ApiErrors.internal(String.valueOf(err))));
        });
  }

  private static MockResponse safely(Function<RecordedRequest, MockResponse> handler, RecordedRequest request) {
    try {
      return handler.apply(request);
    } catch (RuntimeException e) {
      return ApiErrors.internal(request.getMethod() + " " + request.getPath() + " failed: " + e);
    }
  }

  private static RecordedRequest recorded(HttpServerRequest req, byte[] body) {
    return new RecordedRequest(req.version().alpnName().toUpperCase(Locale.ROOT), HttpMethod.fromVertx(req.method()),
        req.uri(), Headers.builder().addAll(req.headers()).build(), new Buffer(body));
  }

  private static void respond(Vertx vertx, HttpServerRequest req, RecordedRequest request, MockResponse response) {
    if (response.getWebSocketListener() != null) {
      if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
        req.toWebSocket().onSuccess(new ServerWebSocketHandler(request, response))
            .onFailure(err -> req.response().setStatusCode(500).end());
      } else {
        String timeout = req.getParam("timeoutSeconds");
        HttpWatchStream.open(vertx, req.response(), request, response,
            timeout == null ? null : Long.valueOf(timeout));
      }
      return;
    }
    HttpServerResponse out = req.response().setStatusCode(response.code() == 0 ? 200 : response.code());
    response.getHeaders().toMultimap().forEach((name, values) -> out.headers().add(name, values));
    Buffer body = response.getBody();
    if (body != null && body.size() > 0) {
      if (!out.headers().contains("Content-Type")) {
        out.putHeader("Content-Type", "application/json");
      }
      out.end(io.vertx.core.buffer.Buffer.buffer(body.getBytes()));
    } else {
      out.end();
    }
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(START_STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
