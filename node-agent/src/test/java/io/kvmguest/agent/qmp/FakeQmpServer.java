package io.kvmguest.agent.qmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A scripted qemu on the far end of a real unix socket (kata govmm {@code qmp_test.go} style):
 * accepts one client and plays {@link Script}, which reads the client's commands and writes
 * exactly the bytes a test wants: replies out of order, events in between, garbage, a hang-up.
 */
final class FakeQmpServer implements AutoCloseable {
  static final String GREETING =
      "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}, \"capabilities\": [\"oob\"]}}";

  interface Script {
    void play(Peer peer) throws Exception;
  }

  private final ServerSocketChannel server;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile SocketChannel client;

  private FakeQmpServer(Path socket, Duration bindDelay, Script script) throws IOException {
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    Thread thread = new Thread(() -> run(socket, bindDelay, script), "fake-qmp-server");
    thread.setDaemon(true);
    if (bindDelay.isZero()) {
      server.bind(UnixDomainSocketAddress.of(socket));
    }
    thread.start();
  }

  /** Listens on {@code socket} now. */
  static FakeQmpServer start(Path socket, Script script) throws IOException {
    return new FakeQmpServer(socket, Duration.ZERO, script);
  }

  /** Creates the socket only after {@code delay}, as qemu does shortly after it starts. */
  static FakeQmpServer startAfter(Duration delay, Path socket, Script script) throws IOException {
    return new FakeQmpServer(socket, delay, script);
  }

  /** Waits for the script to finish and rethrows what it failed with (a test assertion, usually). */
  void awaitScript(Duration timeout) throws Exception {
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw (Error) e.getCause();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (client != null) {
      client.close();
    }
  }

  private void run(Path socket, Duration bindDelay, Script script) {
    try {
      if (!bindDelay.isZero()) {
        Thread.sleep(bindDelay.toMillis());
        server.bind(UnixDomainSocketAddress.of(socket));
      }
      client = server.accept();
      script.play(new Peer(client));
      done.complete(null);
    } catch (Throwable e) {
      done.completeExceptionally(e);
    }
  }

  /** The server's side of the conversation. */
  static final class Peer {
    private final ObjectMapper json = new ObjectMapper();
    private final SocketChannel channel;
    private final QmpLineReader reader;

    Peer(SocketChannel channel) {
      this.channel = channel;
      this.reader = new QmpLineReader(channel);
    }

    /** Greets and accepts qmp_capabilities, as qemu does for every new client. */
    void negotiate() throws IOException {
      send(GREETING);
      reply(expect("qmp_capabilities"), "{}");
    }

    /** Reads the next command and checks its name. */
    JsonNode expect(String command) throws IOException {
      String line = reader.readLine();
      assertNotNull(line, "client hung up while the script expected " + command);
      JsonNode request = json.readTree(line);
      assertEquals(command, request.path("execute").asText(), "command sent by the client: " + line);
      return request;
    }

    void reply(JsonNode request, String returnJson) throws IOException {
      send("{\"return\": " + returnJson + ", \"id\": " + request.get("id") + "}");
    }

    void error(JsonNode request, String errorClass, String description) throws IOException {
      send("{\"id\": " + request.get("id") + ", \"error\": {\"class\": \"" + errorClass + "\", \"desc\": \""
          + description + "\"}}");
    }

    void event(String name, String dataJson) throws IOException {
      send("{\"timestamp\": {\"seconds\": 1700000000, \"microseconds\": 250}, \"event\": \"" + name
          + "\", \"data\": " + dataJson + "}");
    }

    /** Writes one raw line, CRLF-terminated like qemu. */
    void send(String line) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    /** Closes the connection, as a dying qemu does. */
    void hangUp() throws IOException {
      channel.close();
    }
  }
}
