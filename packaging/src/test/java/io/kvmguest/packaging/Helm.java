package io.kvmguest.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The real helm binary, run on the repository's chart. Missing helm fails the test, never skips it. */
final class Helm {
  static final String RELEASE = "kvmguest";
  static final String NAMESPACE = "kvmguest-system";

  private Helm() {}

  /** The repository root: the parent of the packaging module (surefire runs in the module directory). */
  static Path repoRoot() {
    Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    return module.getParent();
  }

  static Path chart() {
    return repoRoot().resolve("helm/kvmguest");
  }

  /** The ci/*-values.yaml files: the non-default value combinations every test runs too. */
  static List<Path> ciValues() {
    try (Stream<Path> files = Files.list(chart().resolve("ci"))) {
      List<Path> found = files.filter(p -> p.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
      assertTrue(!found.isEmpty(), "no ci/*-values.yaml in " + chart());
      return found;
    } catch (IOException e) {
      throw new AssertionError("cannot list " + chart().resolve("ci"), e);
    }
  }

  /** $HELM, else {@code <repo>/.tools/helm/helm} as scripts/install-helm.sh puts it. */
  static Path binary() {
    String env = System.getenv("HELM");
    Path helm = env != null && !env.isBlank() ? Path.of(env) : repoRoot().resolve(".tools/helm/helm");
    if (!Files.isExecutable(helm)) {
      fail("helm not found at " + helm + ": run scripts/install-helm.sh (it puts helm in .tools/helm/helm), or set HELM");
    }
    return helm;
  }

  record Result(int exitCode, String stdout, String stderr) {
    Result ok(String what) {
      if (exitCode != 0) {
        fail(what + " exited " + exitCode + ":\n" + stderr + stdout);
      }
      return this;
    }
  }

  static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(args);
    try {
      Path out = Files.createTempFile("helm", ".out");
      Path err = Files.createTempFile("helm", ".err");
      try {
        Process process = new ProcessBuilder(command).directory(repoRoot().toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          fail(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted running " + command, e);
    }
  }

  /** {@code helm template} of the chart with the given extra arguments (-f FILE, --set ...). */
  static Result template(String... extra) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, chart().toString(), "--namespace", NAMESPACE));
    args.addAll(List.of(extra));
    return run(args);
  }

  /** The rendered chart with defaults ({@code valuesFile == null}) or with one values file. */
  static Rendered render(Path valuesFile) {
    Result result = valuesFile == null ? template() : template("-f", valuesFile.toString());
    return Rendered.parse(result.ok("helm template " + (valuesFile == null ? "(defaults)" : valuesFile.getFileName())).stdout());
  }

  static String label(Path valuesFile) {
    return valuesFile == null ? "defaults" : valuesFile.getFileName().toString();
  }
}
