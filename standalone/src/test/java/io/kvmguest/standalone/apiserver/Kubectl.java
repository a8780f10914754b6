package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl binary against a kubeconfig, without a shell, with a bounded timeout. */
final class Kubectl {
  static final Path BINARY = Path.of("/usr/bin/kubectl");
  private static final long TIMEOUT_SECONDS = 60;
  private final Path kubeconfig;
  private final Path home;

  record Result(int exitCode, String out, String err) {
    String both() {
      return out + err;
    }
  }

  /** Fails (never skips) when kubectl is missing: these tests are about kubectl. */
  Kubectl(Path kubeconfig, Path home) {
    if (!Files.isExecutable(BINARY)) {
      fail("kubectl is required at " + BINARY + " for the standalone API server tests: install it "
          + "(e.g. apt-get install kubectl, or the kubernetes release binary)");
    }
    this.kubeconfig = kubeconfig;
    this.home = home;
  }

  Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    // kubectl caches discovery and OpenAPI under $HOME/.kube/cache: keep that in the test's temp dir.
    pb.environment().put("HOME", home.toString());
    try {
      Path out = Files.createTempFile(home, "kubectl", ".out");
      Path err = Files.createTempFile(home, "kubectl", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process process = pb.start();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("kubectl " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kubectl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs and fails the test with kubectl's output unless it exits 0. */
  String ok(String... args) {
    Result r = run(args);
    if (r.exitCode() != 0) {
      fail("kubectl " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.both());
    }
    return r.out();
  }
}
