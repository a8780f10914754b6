package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageFormatProbeTest {

  @Test
  void qcow2IsKnownByItsMagic() {
    assertEquals("qcow2", ImageFormatProbe.formatOf(new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3}));
  }

  @Test
  void vmdkDescriptorsAndSparseVmdkAreNamedSoTheyCanBeRefused() {
    assertEquals("vmdk", ImageFormatProbe.formatOf(bytes("""
        # Disk DescriptorFile
        version=1
        CID=fffffffe
        createType="monolithicFlat"
        RW 2048 FLAT "/etc/shadow" 0
        """)));
    assertEquals("vmdk", ImageFormatProbe.formatOf(bytes("  \n# any comment\nversion=3\n")), "as qemu's probe: comments skipped");
    assertEquals("vmdk", ImageFormatProbe.formatOf(bytes("KDMV\u0001\u0000\u0000\u0000")));
  }

  @Test
  void otherFormatsAreNamedAndAnythingUnknownIsRaw() {
    assertEquals("vhdx", ImageFormatProbe.formatOf(bytes("vhdxfile")));
    byte[] vdi = new byte[0x50];
    System.arraycopy(new byte[] {0x7f, 0x10, (byte) 0xda, (byte) 0xbe}, 0, vdi, 0x40, 4);
    assertEquals("vdi", ImageFormatProbe.formatOf(vdi));
    assertEquals("raw", ImageFormatProbe.formatOf(new byte[2048]));
    assertEquals("raw", ImageFormatProbe.formatOf(new byte[0]));
    assertEquals("raw", ImageFormatProbe.formatOf(bytes("# a comment\nnot a descriptor\n")));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
