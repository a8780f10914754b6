package io.kvmguest.agent.qmp;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A VNC client that gets only as far as password authentication (RFB 3.8, security type 2), to
 * prove that a password set over QMP is the one qemu's VNC server checks.
 */
final class VncAuthProbe {
  private static final int VNC_AUTHENTICATION = 2;

  private VncAuthProbe() {}

  /** Whether qemu's VNC server on {@code socket} accepts {@code password}. */
  static boolean accepts(Path socket, String password) throws IOException, GeneralSecurityException {
    try (SocketChannel vnc = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      vnc.connect(UnixDomainSocketAddress.of(socket));
      String version = new String(read(vnc, 12), StandardCharsets.US_ASCII);
      if (!version.startsWith("RFB ")) {
        throw new IOException("not a VNC server: " + version);
      }
      write(vnc, "RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
      byte[] types = read(vnc, read(vnc, 1)[0] & 0xff);
      if (!contains(types, VNC_AUTHENTICATION)) {
        throw new IOException("VNC server does not offer password authentication");
      }
      write(vnc, new byte[] {VNC_AUTHENTICATION});
      write(vnc, response(read(vnc, 16), password));
      return ByteBuffer.wrap(read(vnc, 4)).getInt() == 0;
    }
  }

  /** DES of the challenge keyed by the first 8 password bytes, each bit-reversed (RFB's quirk). */
  private static byte[] response(byte[] challenge, String password) throws GeneralSecurityException {
    byte[] key = new byte[8];
    byte[] bytes = password.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < Math.min(8, bytes.length); i++) {
      key[i] = (byte) (Integer.reverse(bytes[i] & 0xff) >>> 24);
    }
    Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
    des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
    return des.doFinal(challenge);
  }

  private static boolean contains(byte[] values, int wanted) {
    for (byte value : values) {
      if (value == wanted) {
        return true;
      }
    }
    return false;
  }

  private static byte[] read(SocketChannel channel, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("VNC server closed the connection");
      }
    }
    return buffer.array();
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
