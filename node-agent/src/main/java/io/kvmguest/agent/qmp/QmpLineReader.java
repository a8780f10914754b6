package io.kvmguest.agent.qmp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Splits a QMP stream into messages: qemu ends every JSON message with CRLF. Reads the channel
 * directly: {@code Channels.newInputStream} on a socket channel holds a lock across the blocking
 * read that writers also take, so a reader thread would starve every command (JDK-4509080).
 */
final class QmpLineReader {
  /** Far beyond any real reply; stops a runaway peer from exhausting the heap. */
  private static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final ReadableByteChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).flip();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  QmpLineReader(ReadableByteChannel channel) {
    this.channel = channel;
  }

  /** The next line without its line terminator, or null at the end of the stream. */
  String readLine() throws IOException {
    while (true) {
      while (buffer.hasRemaining()) {
        byte b = buffer.get();
        if (b == '\n') {
          return takeLine();
        }
        if (line.size() >= MAX_LINE_BYTES) {
          throw new IOException("QMP message longer than " + MAX_LINE_BYTES + " bytes");
        }
        line.write(b);
      }
      buffer.clear();
      int read = channel.read(buffer);
      buffer.flip();
      if (read < 0) {
        return line.size() > 0 ? takeLine() : null;
      }
    }
  }

  private String takeLine() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
