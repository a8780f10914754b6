package io.kvmguest.agent.disk;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Names an image's format from its first bytes, without qemu. The agent never lets qemu or
 * qemu-img probe (a probed VMDK descriptor can name /dev/sda as its extent); this probe only
 * decides which format to name explicitly, and which images to refuse with a clear message. A
 * format it does not recognise reads as raw, which is safe: a file opened as raw is only its own
 * bytes.
 */
final class ImageFormatProbe {
  /** What qemu reads to probe (BLOCK_PROBE_BUF_SIZE); enough for every signature below. */
  static final int HEADER_BYTES = 2048;

  private record Signature(String format, int offset, byte[] magic) {
    boolean matches(byte[] head) {
      return head.length >= offset + magic.length
          && Arrays.equals(head, offset, offset + magic.length, magic, 0, magic.length);
    }
  }

  private static final List<Signature> SIGNATURES = List.of(
      new Signature("qcow2", 0, new byte[] {'Q', 'F', 'I', (byte) 0xfb}),
      new Signature("vmdk", 0, ascii("KDMV")),
      new Signature("vmdk", 0, ascii("COWD")),
      new Signature("qed", 0, new byte[] {'Q', 'E', 'D', 0}),
      new Signature("vhdx", 0, ascii("vhdxfile")),
      new Signature("vpc", 0, ascii("conectix")),
      new Signature("vdi", 0x40, new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe}),
      new Signature("luks", 0, new byte[] {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe}),
      new Signature("parallels", 0, ascii("WithoutFreeSpace")),
      new Signature("parallels", 0, ascii("WithouFreSpacExt")),
      new Signature("bochs", 0, ascii("Bochs Virtual HD Image")),
      new Signature("cloop", 0, ascii("#!/bin/sh\n#V2.0 Format")));

  private ImageFormatProbe() {}

  /** qcow2, raw, or the name of a format the agent refuses (vmdk, vdi, ...). */
  static String formatOf(byte[] head) {
    for (Signature signature : SIGNATURES) {
      if (signature.matches(head)) {
        return signature.format();
      }
    }
    return isVmdkDescriptor(head) ? "vmdk" : "raw";
  }

  /** As qemu's vmdk_probe: after comment lines and spaces, the text starts with "version=N". */
  private static boolean isVmdkDescriptor(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '#') {
        int newline = text.indexOf('\n', i);
        i = newline < 0 ? text.length() : newline + 1;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else {
        return text.startsWith("version=", i);
      }
    }
    return false;
  }

  private static byte[] ascii(String magic) {
    return magic.getBytes(StandardCharsets.US_ASCII);
  }
}
