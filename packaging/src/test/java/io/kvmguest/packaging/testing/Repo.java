package io.kvmguest.packaging.testing;

import java.nio.file.Path;

/** Paths in the repository, seen from the packaging module (Maven runs tests in the module dir). */
public final class Repo {
  private Repo() {}

  public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  public static final Path CHART = ROOT.resolve("helm/kvmguest");

  public static Path resolve(String relative) {
    return ROOT.resolve(relative);
  }
}
