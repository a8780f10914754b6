package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.api.validation.GuestValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guest YAML + host facts → argv, compared with golden/NAME.args (one argument per line, so a diff
 * reads like a review). After an intended change, regenerate with
 * {@code ./mvnw -pl node-agent -am test -Dtest=QemuCommandGoldenTest -Dgolden.update=true} and
 * review the diff; without that property a mismatch fails.
 */
class QemuCommandGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static List<String> cases() {
    return GoldenCase.names();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesGolden(String name) throws IOException {
    GoldenCase golden = GoldenCase.load(name);
    assertEquals(List.of(), GuestValidator.validate(golden.guest()), name + ".yaml must be a valid guest");

    String actual = String.join("\n", golden.argv()) + "\n";
    if (UPDATE) {
      Files.writeString(golden.argsFile(), actual);
      return;
    }
    if (!Files.exists(golden.argsFile())) {
      fail(golden.argsFile() + " does not exist: create it with -Dgolden.update=true and review it");
    }
    String expected = Files.readString(golden.argsFile());
    assertEquals(expected, actual, name + ": argv differs from " + golden.argsFile() + " at " + firstDifference(expected, actual)
        + " (if the change is intended, rerun with -Dgolden.update=true and review the diff)");
  }

  /** Where two one-argument-per-line texts first differ, for a readable failure. */
  static String firstDifference(String expected, String actual) {
    List<String> e = expected.lines().toList();
    List<String> a = actual.lines().toList();
    for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
      String want = i < e.size() ? e.get(i) : "<end>";
      String got = i < a.size() ? a.get(i) : "<end>";
      if (!want.equals(got)) {
        return "line " + (i + 1) + ": expected \"" + want + "\" but built \"" + got + "\"";
      }
    }
    return "line endings";
  }

  @Test
  void everyRequiredCaseExists() {
    assertTrue(cases().containsAll(List.of("iso-install-e1000", "disk-boot-virtio", "rtl8139-user-network",
        "block-device-ide", "kvm-host", "two-nics", "comma-in-path")), cases().toString());
  }

  @Test
  void noStrayGoldenFiles() throws IOException {
    try (var files = Files.list(GoldenCase.DIR)) {
      List<String> orphans = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".args"))
          .filter(n -> !cases().contains(n.substring(0, n.length() - ".args".length())))
          .toList();
      assertEquals(List.of(), orphans, "golden .args files without a .yaml case");
    }
  }
}
