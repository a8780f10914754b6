package io.kvmguest.packaging.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm binary that scripts/install-helm.sh puts in .tools/helm (or $HELM). */
public final class Helm {
  private Helm() {}

  /** A finished helm run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  public static Path binary() {
    String env = System.getenv("HELM");
    Path helm = env != null && !env.isBlank() ? Path.of(env) : Repo.resolve(".tools/helm/helm");
    if (!Files.isExecutable(helm)) {
      fail("helm is missing at " + helm + ": run scripts/install-helm.sh (make test does)");
    }
    return helm;
  }

  public static Result run(String... args) {
    List<String> argv = new ArrayList<>(List.of(binary().toString()));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
      p.getOutputStream().close();
      var out = p.getInputStream().readAllBytes();
      var err = p.getErrorStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("helm " + String.join(" ", args) + " took over 120 s");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run helm", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code helm template} of the chart with these extra arguments (-f, --set); fails the test on an error. */
  public static List<HasMetadata> template(String... extra) {
    List<String> args = new ArrayList<>(List.of("template", "kvmguest", Repo.CHART.toString(), "--namespace", "kvmguest-system"));
    args.addAll(List.of(extra));
    Result r = run(args.toArray(String[]::new));
    if (!r.ok()) {
      fail("helm template failed (" + r.exitCode() + "): " + r.stderr());
    }
    return parse(r.stdout());
  }

  /** The documents of a multi-document YAML stream, as fabric8 typed objects. */
  public static List<HasMetadata> parse(String yaml) {
    KubernetesSerialization serialization = new KubernetesSerialization();
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      if (doc.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        continue;
      }
      objects.add(serialization.unmarshal(doc, HasMetadata.class));
    }
    return objects;
  }

  public static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
    if (found.size() != 1) {
      fail("expected one " + type.getSimpleName() + " in the rendered chart, found " + found.size());
    }
    return found.get(0);
  }
}
