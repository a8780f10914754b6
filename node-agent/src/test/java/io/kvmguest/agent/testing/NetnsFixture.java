package io.kvmguest.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A throwaway network namespace for integration tests: {@code kvg-<purpose>-<random>}, loopback
 * up, commands run inside it, and on {@link #close()} every process still inside is stopped by pid
 * and the namespace deleted (its links, bridges, taps and addresses go with it). Use with
 * try-with-resources or close it in {@code @AfterEach}. Needs root.
 */
public final class NetnsFixture implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final LinuxCommandRunner ROOT = LinuxCommandRunner.inRootNamespace();

  private final String name;
  private final LinuxCommandRunner runner;

  private NetnsFixture(String name) {
    this.name = name;
    this.runner = new LinuxCommandRunner(Optional.of(name));
  }

  /** Creates the namespace; {@code purpose} is a short lowercase word naming the test. */
  public static NetnsFixture create(String purpose) {
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String name = "kvg-" + purpose + "-" + HexFormat.of().formatHex(random);
    check(ROOT.run(List.of("ip", "netns", "add", name), TIMEOUT));
    NetnsFixture ns = new NetnsFixture(name);
    ns.exec("ip", "link", "set", "lo", "up");
    return ns;
  }

  public String name() {
    return name;
  }

  /** Runs commands inside this namespace. */
  public LinuxCommandRunner runner() {
    return runner;
  }

  /** Runs inside the namespace and fails the test unless it exits 0. */
  public CommandResult exec(String... argv) {
    return check(runner.run(List.of(argv), TIMEOUT));
  }

  /** Runs inside the namespace with a timeout; the caller looks at the exit code. */
  public CommandResult run(Duration timeout, String... argv) {
    return runner.run(List.of(argv), timeout);
  }

  /**
   * A veth pair between this namespace ({@code localName}) and {@code peer} ({@code peerName}),
   * both ends up. Created from inside this namespace, so no name ever exists in the root one.
   */
  public void veth(String localName, NetnsFixture peer, String peerName) {
    exec("ip", "link", "add", localName, "type", "veth", "peer", "name", peerName, "netns", peer.name());
    exec("ip", "link", "set", localName, "up");
    peer.exec("ip", "link", "set", peerName, "up");
  }

  /** Pids of the processes running inside the namespace. */
  public List<Long> pids() {
    CommandResult r = ROOT.run(List.of("ip", "netns", "pids", name), TIMEOUT);
    return r.stdout().lines().map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
  }

  /** Stops what still runs inside (SIGTERM, then SIGKILL after 5 s), then deletes the namespace. */
  @Override
  public void close() {
    for (long pid : pids()) {
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroy();
        try {
          p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
        }
      });
    }
    CommandResult r = ROOT.run(List.of("ip", "netns", "del", name), TIMEOUT);
    if (!r.ok()) {
      fail("could not delete network namespace " + name + ": " + r.stderr());
    }
  }

  private static CommandResult check(CommandResult r) {
    if (!r.ok()) {
      fail("`" + r.commandLine() + "` failed (exit " + r.exitCode() + "): " + r.stderr().strip());
    }
    return r;
  }
}
