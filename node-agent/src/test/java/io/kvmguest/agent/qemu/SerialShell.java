package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test guest's serial shell (kernel argument kvg.shell) over a qemu socket chardev: what the
 * guest prints is collected by a reader thread, commands are typed as lines.
 */
final class SerialShell implements AutoCloseable {
  private final SocketChannel channel;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;
  private int commands;

  SerialShell(Path socket) throws IOException {
    channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    reader = new Thread(this::read, "serial-shell");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    try {
      while (channel.read(buffer.clear()) >= 0) {
        output.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // closed: the test is over
    }
  }

  Matcher await(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(output);
      if (m.find()) {
        return m;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return fail("no " + pattern + " on the guest's serial shell within " + timeout.toSeconds() + " s:\n" + output);
  }

  /** Types {@code command} and returns what it printed and its exit code, once it has finished. */
  Result run(String command, Duration timeout) throws IOException {
    int n = ++commands;
    int from = output.length();
    // the marker is split in the typed line so its echo cannot match
    String line = command + "; echo \"CMD-DONE-" + n + "\"\"-RC=$?\"\n";
    channel.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
    Matcher m = await(Pattern.compile("CMD-DONE-" + n + "-RC=([0-9]+)"), timeout);
    return new Result(output.substring(from, m.start()), Integer.parseInt(m.group(1)));
  }

  record Result(String output, int exitCode) {}

  String output() {
    return output.toString();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
