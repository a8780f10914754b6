package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.agent.AgentOptions;
import io.kvmguest.agent.NodeAgentMain;
import io.kvmguest.agent.source.DirectoryGuestSource;
import io.kvmguest.agent.source.DirectoryStatusSink;
import io.kvmguest.agent.testing.GuestImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.source.GuestIdentity;
import io.kvmguest.agent.testing.NetnsFixture;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A node agent's files as a test sees them: guest YAMLs in, status files and serial logs out. */
final class AgentHarness {
  final Path stateDir;
  final Path guestsDir;
  final NetnsFixture node;

  AgentHarness(Path root, NetnsFixture node) throws IOException {
    this.stateDir = Files.createDirectories(root.resolve("state"));
    this.guestsDir = Files.createDirectories(root.resolve("guests"));
    this.node = node;
  }

  /** Wires and starts an agent in this JVM over these dirs, inside the node namespace, the test image dir allowed, plus {@code extra} flags. */
  NodeAgent startAgent(String nodeName, String... extra) {
    List<String> args = new ArrayList<>(List.of("--state-dir", stateDir.toString(), "--guests-dir", guestsDir.toString(),
        "--netns", node.name(), "--allowed-dir", GuestImages.OUT.toString()));
    args.addAll(List.of(extra));
    NodeAgent agent = NodeAgentMain.wire(AgentOptions.parse(args, Map.of(), nodeName),
        new DirectoryGuestSource(guestsDir, Duration.ofMillis(200)), new DirectoryStatusSink(guestsDir.resolve("status")),
        SecretSource.NONE).agent();
    agent.start();
    return agent;
  }

  void apply(String name, String yaml) throws IOException {
    Path tmp = guestsDir.resolve("." + name + ".tmp");
    Files.writeString(tmp, yaml);
    Files.move(tmp, guestsDir.resolve(name + ".yaml"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  void delete(String name) throws IOException {
    Files.deleteIfExists(guestsDir.resolve(name + ".yaml"));
  }

  static String uid(String name) {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    return GuestIdentity.uid(guest);
  }

  Optional<VirtualGuestStatus> status(String name) {
    Path file = guestsDir.resolve("status").resolve("default_" + name + ".status.yaml");
    try {
      return Files.exists(file) ? Optional.of(Serialization.unmarshal(Files.readString(file), VirtualGuestStatus.class)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // replaced while read: try again
    }
  }

  VirtualGuestStatus awaitStatus(String name, Predicate<VirtualGuestStatus> until, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<VirtualGuestStatus> last = Optional.empty();
    while (System.nanoTime() < deadline) {
      last = status(name);
      if (last.isPresent() && until.test(last.get())) {
        return last.get();
      }
      sleep(250);
    }
    return fail(name + ": " + what + " not reached within " + timeout.toSeconds() + " s; last status " + last
        + "\nserial log:\n" + serial(name));
  }

  Path serialLog(String name) {
    return GuestPaths.runDir(stateDir, uid(name)).resolve("serial.log");
  }

  String serial(String name) {
    try {
      return Files.exists(serialLog(name)) ? Files.readString(serialLog(name)) : "(no serial log)";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Matcher awaitSerial(String name, Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(serial(name));
      if (m.find()) {
        return m;
      }
      sleep(250);
    }
    return fail(name + ": no " + pattern + " on the serial console within " + timeout.toSeconds() + " s:\n" + serial(name));
  }

  /** Pings from inside the node namespace, a few tries: the first echo after a lease is sometimes lost. */
  boolean pings(String ip) {
    for (int i = 0; i < 5; i++) {
      CommandResult r = node.run(Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", ip);
      if (r.ok()) {
        return true;
      }
    }
    return false;
  }

  String links() {
    return node.run(Duration.ofSeconds(5), "ip", "-o", "link", "show").stdout();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
