package io.kvmguest.packaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships the CRDs the build generates (crds/), byte for byte: `make crds` refreshes both. */
class ChartCrdsTest {

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    Path generated = Helm.repoRoot().resolve("crds");
    Path chart = Helm.chart().resolve("crds");
    List<String> expected = names(generated);
    assertFalse(expected.isEmpty(), "no CRDs in " + generated);
    assertEquals(expected, names(chart), "helm/kvmguest/crds/ must hold the same files as crds/: run `make crds`");
    for (String name : expected) {
      assertArrayEquals(Files.readAllBytes(generated.resolve(name)), Files.readAllBytes(chart.resolve(name)),
          "helm/kvmguest/crds/" + name + " differs from crds/" + name + ": run `make crds`");
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
