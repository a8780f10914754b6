package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinuxQemuImgTest {
  private final FakeCommandRunner runner = new FakeCommandRunner();
  private final LinuxQemuImg qemuImg = new LinuxQemuImg(runner, Duration.ofSeconds(5), Duration.ofMinutes(9));

  @Test
  void commandLines() {
    qemuImg.create(Path.of("/s/root.qcow2"), "qcow2", 1048576);
    qemuImg.createOverlay(Path.of("/s/root.qcow2"), Path.of("/images/base.img"), "raw");
    qemuImg.convert(Path.of("/cache/abc"), "qcow2", Path.of("/s/root.raw"), "raw");
    qemuImg.resize(Path.of("/s/root.raw"), "raw", 2097152);

    assertEquals(List.of(
        List.of("qemu-img", "create", "-q", "-f", "qcow2", "/s/root.qcow2", "1048576"),
        List.of("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/images/base.img", "-F", "raw", "/s/root.qcow2"),
        List.of("qemu-img", "convert", "-q", "-f", "qcow2", "-O", "raw", "/cache/abc", "/s/root.raw"),
        List.of("qemu-img", "resize", "-q", "-f", "raw", "/s/root.raw", "2097152")), runner.commands());
    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(9), Duration.ofSeconds(5)),
        runner.timeouts(), "a full copy gets the long bound");
  }

  @Test
  void infoNamesTheFormatAndReadsEveryFileTheImageRefersTo() {
    runner.answer(0, """
        {"virtual-size": 1048576, "filename": "ov.qcow2", "format": "qcow2",
         "format-specific": {"type": "qcow2", "data": {"compat": "1.1", "data-file": "/dev/sda"}},
         "backing-filename": "/etc/shadow", "backing-filename-format": "raw"}
        """, "");
    runner.answer(0, "{\"virtual-size\": 1024, \"filename\": \"x.raw\", \"format\": \"raw\"}", "");

    ImageInfo probed = qemuImg.info(Path.of("/images/ov.qcow2"), "qcow2");
    ImageInfo raw = qemuImg.info(Path.of("/s/x.raw"), "raw");

    assertEquals(new ImageInfo("qcow2", 1048576, Optional.of("/etc/shadow"), Optional.of("/dev/sda")), probed);
    assertEquals(ImageInfo.standalone("raw", 1024), raw);
    assertEquals(List.of(
        List.of("qemu-img", "info", "-U", "--output=json", "-f", "qcow2", "/images/ov.qcow2"),
        List.of("qemu-img", "info", "-U", "--output=json", "-f", "raw", "/s/x.raw")), runner.commands());
  }

  @Test
  void failuresCarryTheCommandAndItsError() {
    runner.answer(1, "", "qemu-img: /s/x: Could not open '/images/gone': No such file or directory\n");
    QemuImgException e = assertThrows(QemuImgException.class,
        () -> qemuImg.createOverlay(Path.of("/s/x"), Path.of("/images/gone"), "raw"));
    assertEquals("`qemu-img create -q -f qcow2 -b /images/gone -F raw /s/x` failed (exit 1): qemu-img: /s/x: Could not"
        + " open '/images/gone': No such file or directory", e.getMessage());

    runner.answer(0, "not json", "");
    assertThrows(QemuImgException.class, () -> qemuImg.info(Path.of("/s/x"), "raw"));
  }

  @Test
  void onlyRawAndQcow2AreEverNamedSoQemuImgNeverProbes() {
    for (String format : new String[] {null, "vmdk", "", "raw,file.driver=vmdk"}) {
      assertThrows(IllegalArgumentException.class, () -> qemuImg.info(Path.of("/s/x"), format), String.valueOf(format));
      assertThrows(IllegalArgumentException.class, () -> qemuImg.createOverlay(Path.of("/s/x"), Path.of("/b"), format));
      assertThrows(IllegalArgumentException.class, () -> qemuImg.convert(Path.of("/b"), format, Path.of("/s/x"), "raw"));
    }
    assertEquals(List.of(), runner.commands(), "nothing ran");
  }

  @Test
  void vmdkExtentsAndNewerQemuImgChildrenAreFilesTheImageRefersTo() {
    ImageInfo vmdk = LinuxQemuImg.parseInfo("""
        {"virtual-size": 512, "format": "vmdk", "format-specific": {"type": "vmdk",
         "data": {"extents": [{"filename": "/etc/shadow", "format": "FLAT"}]}}}
        """);
    ImageInfo children = LinuxQemuImg.parseInfo("""
        {"virtual-size": 512, "format": "qcow2", "children": [
          {"name": "file", "info": {"filename": "/images/x.qcow2"}},
          {"name": "data-file", "info": {"filename": "/dev/sda"}}]}
        """);

    assertEquals(List.of("file \"/etc/shadow\""), vmdk.references());
    assertEquals(List.of("file \"/dev/sda\""), children.references());
  }
}
