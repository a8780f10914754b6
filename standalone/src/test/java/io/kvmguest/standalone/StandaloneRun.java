package io.kvmguest.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.NetnsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The standalone jar as a user runs it, inside a test's network namespace (so its NAT bridge, DHCP
 * server and taps stay off the machine's links), with the real kubectl beside it.
 */
public final class StandaloneRun {
  public static final Path JAR = Path.of("target", "kvmguest-standalone.jar").toAbsolutePath();
  public static final String NODE = "it-node";

  private final NetnsFixture ns;
  private final Path stateDir;

  public StandaloneRun(NetnsFixture ns, Path stateDir) {
    this.ns = ns;
    this.stateDir = stateDir;
  }

  /** Starts the jar (node {@link #NODE}, the test guest's images allowed) and waits for its ready line. */
  public Process start(Path log, String... extraArgs) throws IOException {
    assertTrue(Files.isRegularFile(JAR), JAR + " is missing: it is built in the package phase");
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(),
        ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString(),
        "--state-dir", stateDir.toString(), "--node-name", NODE, "--allowed-dir", GuestImages.OUT.toString()));
    argv.addAll(List.of(extraArgs));
    Process run = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    String ready = "kvmguest standalone ready: kubeconfig=" + kubeconfig();
    await("standalone's ready line").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      if (!run.isAlive()) {
        fail("standalone exited " + run.exitValue() + ":\n" + Files.readString(log));
      }
      return Files.readString(log).contains(ready);
    });
    return run;
  }

  public Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  public CommandResult kubectl(Duration timeout, String... args) {
    List<String> argv = new ArrayList<>(List.of("env", "KUBECONFIG=" + kubeconfig(), "kubectl"));
    argv.addAll(List.of(args));
    return ns.run(timeout, argv.toArray(String[]::new));
  }
}
