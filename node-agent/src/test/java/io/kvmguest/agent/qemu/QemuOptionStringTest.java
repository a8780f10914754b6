package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QemuOptionStringTest {

  @Test
  void commasAreDoubled() {
    assertEquals("/srv/a,,b,,,,c", QemuOptionString.escape("path", "/srv/a,b,,c"));
    assertEquals("/srv/plain.iso", QemuOptionString.escape("path", "/srv/plain.iso"));
    assertEquals("", QemuOptionString.escape("path", ""));
  }

  @Test
  void aPathWithCommasStaysOneValueWhenQemuParsesItBack() {
    String path = "/var/lib/kvm,guest/disk,format=raw,if=ide.qcow2";
    String option = QemuOptionString.keyed("if", "none", "drive").set("file", path, "path").set("format", "qcow2").toString();

    List<String> parts = QemuOptsModel.split(option);

    assertEquals(List.of("if=none", "file=" + path, "format=qcow2"), parts,
        "an attacker-shaped path must not add options of its own");
    assertEquals(path, QemuOptsModel.value(option, "file"));
  }

  @Test
  void withoutEscapingThePathWouldHaveInjectedOptions() {
    // The model is not trivially agreeable: unescaped, the same text splits into extra options.
    assertEquals(List.of("file=/a", "format=raw"), QemuOptsModel.split("file=/a,format=raw"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/srv/a\nb", "/srv/a\rb", "/srv/a\0b"})
  void lineBreaksAndNulCannotBeMadeSafe(String value) {
    var e = assertThrows(IllegalArgumentException.class, () -> QemuOptionString.escape("drive root: path", value));
    assertTrue(e.getMessage().startsWith("drive root: path contains"), e.getMessage());
  }

  @Test
  void setNamesTheFieldOfABadValue() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> QemuOptionString.of("netdev", "tap").set("ifname", "tap\n0", "interface lan: tap name"));
    assertTrue(e.getMessage().contains("interface lan: tap name"), e.getMessage());
  }

  @Test
  void missingValueIsNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> QemuOptionString.escape("cpuModel", null));
    assertEquals("cpuModel is missing", e.getMessage());
  }

  @Test
  void idsAreCheckedNotEscaped() {
    assertEquals("drive-root", QemuOptionString.id("drive root", "drive-root"));
    for (String bad : new String[] {"1abc", "a,b", "a b", "", "a=b"}) {
      var e = assertThrows(IllegalArgumentException.class, () -> QemuOptionString.id("drive x: name", bad));
      assertTrue(e.getMessage().startsWith("drive x: name"), e.getMessage());
    }
  }

  @Test
  void headValueIsEscapedToo() {
    assertEquals("a,,b,id=x", QemuOptionString.of("head", "a,b").set("id", "x").toString());
  }
}
