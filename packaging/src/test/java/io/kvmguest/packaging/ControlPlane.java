package io.kvmguest.packaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes API of the container tests: standalone's embedded API server with neither its
 * operator nor its agent ({@code --no-operator --no-agent}), inside the test's network namespace,
 * where the containers reach it on loopback. kubectl talks to it from inside the namespace too.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Path JAR = Helm.repoRoot().resolve("standalone/target/kvmguest-standalone.jar");

  private final NetnsFixture ns;
  private final Path dir;
  private final Process process;

  private ControlPlane(NetnsFixture ns, Path dir, Process process) {
    this.ns = ns;
    this.dir = dir;
    this.process = process;
  }

  public static ControlPlane start(NetnsFixture ns, Path dir) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: it is built in the package phase");
    Path log = dir.resolve("api.log");
    List<String> argv = List.of("ip", "netns", "exec", ns.name(), ProcessHandle.current().info().command().orElse("java"),
        "-jar", JAR.toString(), "--state-dir", dir.resolve("api").toString(), "--no-agent", "--no-operator");
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ControlPlane plane = new ControlPlane(ns, dir, p);
    String ready = "kvmguest standalone ready: kubeconfig=" + plane.kubeconfig();
    await("the embedded API server's ready line").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          if (!p.isAlive()) {
            fail("the API server exited " + p.exitValue() + ":\n" + Files.readString(log));
          }
          return Files.readString(log).contains(ready);
        });
    return plane;
  }

  public Path kubeconfig() {
    return dir.resolve("api/kubeconfig");
  }

  /**
   * A copy of the kubeconfig that a container's non-root user can read. It holds the API's token, so the copy
   * stays in the test's own temp dir.
   */
  public Path readableKubeconfig() {
    try {
      Path copy = dir.resolve("kubeconfig-for-containers");
      Files.copy(kubeconfig(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public CommandResult kubectl(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>(List.of("env", "KUBECONFIG=" + kubeconfig(), "kubectl"));
    argv.addAll(List.of(args));
    return ns.run(timeout, argv.toArray(String[]::new));
  }

  /** kubectl that must succeed; returns its stdout. */
  public String kubectlOk(String... args) {
    CommandResult r = kubectl(Duration.ofSeconds(120), args);
    if (!r.ok()) {
      fail("kubectl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr() + r.stdout());
    }
    return r.stdout();
  }

  public Path apply(String name, String yaml) {
    try {
      Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
      kubectlOk("apply", "-f", file.toString());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
