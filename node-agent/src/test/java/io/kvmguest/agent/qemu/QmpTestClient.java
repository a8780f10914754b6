package io.kvmguest.agent.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Just enough QMP for the integration test to ask qemu what it built from the argv: connect,
 * negotiate, run a command, skip events. Every read has a deadline.
 */
final class QmpTestClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final SocketChannel channel;
  private final StringBuilder pending = new StringBuilder();

  QmpTestClient(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    channel.configureBlocking(false);
    JsonNode greeting = readMessage();
    if (!greeting.has("QMP")) {
      throw new IOException("not a QMP greeting: " + greeting);
    }
    execute("qmp_capabilities", null);
  }

  /** The command's "return" value; an "error" reply throws. */
  JsonNode execute(String command, ObjectNode arguments) throws IOException {
    ObjectNode request = JSON.createObjectNode().put("execute", command);
    if (arguments != null) {
      request.set("arguments", arguments);
    }
    channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8)));
    while (true) {
      JsonNode reply = readMessage();
      if (reply.has("return")) {
        return reply.get("return");
      }
      if (reply.has("error")) {
        throw new IOException(command + " failed: " + reply.get("error"));
      }
      // An asynchronous event: not the reply.
    }
  }

  static ObjectNode args() {
    return JSON.createObjectNode();
  }

  private JsonNode readMessage() throws IOException {
    Instant deadline = Instant.now().plus(TIMEOUT);
    ByteBuffer buffer = ByteBuffer.allocate(65536);
    while (pending.indexOf("\n") < 0) {
      if (Instant.now().isAfter(deadline)) {
        throw new IOException("no QMP message within " + TIMEOUT.toSeconds() + " s");
      }
      buffer.clear();
      int n = channel.read(buffer);
      if (n < 0) {
        throw new IOException("QMP connection closed");
      }
      if (n == 0) {
        sleep();
        continue;
      }
      pending.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
    }
    int newline = pending.indexOf("\n");
    String line = pending.substring(0, newline);
    pending.delete(0, newline + 1);
    return JSON.readTree(line);
  }

  private static void sleep() throws IOException {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
