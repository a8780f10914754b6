package io.kvmguest.agent.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.host.Accelerator;
import io.kvmguest.agent.testing.GuestImages;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builder's user networking with a real guest (the test image's kernel and initramfs, serial
 * shell on the console, which the test moves from the builder's log file to a socket) inside a throwaway network namespace, where a web server listens
 * on the namespace's 127.0.0.1 — the stand-in for the node's loopback services. slirp maps the
 * guest's 10.0.2.2 to the loopback of the namespace qemu runs in. The guest must not fetch from
 * it, and its forwarded port must work; the control guest, the same argv without restrict=on,
 * shows that the fetch would succeed if the builder did not restrict.
 */
class UserNetworkRestrictIT {
  private static final String NETNS = "kvg-slirp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
  private static final CommandRunner HOST = LinuxCommandRunner.inRootNamespace();
  private static final CommandRunner IN_NETNS = new LinuxCommandRunner(Optional.of(NETNS));
  private static final int LOOPBACK_PORT = 18080;
  private static final int FORWARDED_PORT = 18081;
  private static final String SECRET = "LOOPBACK-SECRET-7f3a";
  private static final Duration BOOT = Duration.ofSeconds(180);
  /** busybox 1.35's wget crashes with -T (SIGSEGV), so the guest bounds it with timeout instead. */
  private static final String FETCH_LOOPBACK = "timeout 10 wget -q -O - http://10.0.2.2:" + LOOPBACK_PORT + "/";

  private static Process loopbackServer;
  private final QemuCommandBuilder builder = new QemuCommandBuilder(Path.of("/usr/bin/qemu-system-x86_64"));

  @TempDir
  Path dir;

  @BeforeAll
  static void namespaceWithLoopbackService(@TempDir Path www) throws IOException {
    Requirements.root();
    Requirements.binary("qemu-system-x86_64");
    Requirements.binary("busybox");
    Requirements.binary("curl");
    Requirements.binary("ip");
    GuestImages.iso(); // builds the image when it is missing; vmlinuz and initrd.gz come with it
    HOST.check("ip", "netns", "add", NETNS);
    IN_NETNS.check("ip", "link", "set", "lo", "up");
    Files.writeString(www.resolve("index.html"), SECRET + "\n");
    loopbackServer = new ProcessBuilder("ip", "netns", "exec", NETNS, "busybox", "httpd", "-f", "-p", "127.0.0.1:" + LOOPBACK_PORT,
        "-h", www.toString()).redirectErrorStream(true).start();
    CommandResult selfCheck = null;
    for (int i = 0; i < 50; i++) {
      selfCheck = IN_NETNS.run(List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + LOOPBACK_PORT + "/"), Duration.ofSeconds(10));
      if (selfCheck.ok()) {
        break;
      }
      sleep(100);
    }
    assertTrue(selfCheck.stdout().contains(SECRET), "the loopback service does not answer inside the namespace: " + selfCheck);
  }

  @AfterAll
  static void removeNamespace() throws InterruptedException {
    if (loopbackServer != null) {
      loopbackServer.destroy(); // by its pid: the process this test started
      loopbackServer.waitFor();
    }
    HOST.run(List.of("ip", "netns", "del", NETNS), Duration.ofSeconds(30));
  }

  @Test
  void restrictedGuestCannotReachTheNodesLoopbackButItsForwardedPortWorks() throws IOException {
    List<String> argv = guestArgv();
    assertTrue(argv.stream().anyMatch(a -> a.startsWith("user,") && a.contains(",restrict=on,")), "restrict=on in " + argv);
    try (Booted guest = boot(argv)) {
      SerialShell.Result fetch = guest.shell.run(FETCH_LOOPBACK, Duration.ofSeconds(30));
      System.out.println("FIGURE restricted guest -> 10.0.2.2:" + LOOPBACK_PORT + ": exit " + fetch.exitCode() + ", output: "
          + fetch.output().strip().replace('\n', ' '));
      assertFalse(fetch.output().contains(SECRET), "the guest read the node's loopback service:\n" + fetch.output());
      assertFalse(fetch.output().contains("Segmentation fault"), "wget crashed, which proves nothing:\n" + fetch.output());
      assertNotEquals(0, fetch.exitCode(), fetch.output());

      SerialShell.Result served = guest.shell.run("mkdir -p /tmp/www && echo FORWARDED-OK > /tmp/www/index.html && httpd -p 8000 -h /tmp/www",
          Duration.ofSeconds(10));
      assertEquals(0, served.exitCode(), served.output());
      CommandResult inbound = fetchForwarded();
      assertTrue(inbound.stdout().contains("FORWARDED-OK"), "the forwarded port does not reach the guest: " + inbound);
    }
  }

  @Test
  void controlUnrestrictedGuestDoesReachTheNodesLoopback() throws IOException {
    List<String> argv = new ArrayList<>();
    for (String arg : guestArgv()) {
      argv.add(arg.startsWith("user,") ? arg.replace(",restrict=on", "") : arg);
    }
    try (Booted guest = boot(argv)) {
      SerialShell.Result fetch = guest.shell.run(FETCH_LOOPBACK, Duration.ofSeconds(30));
      assertTrue(fetch.output().contains(SECRET), "without restrict=on the guest should read it (else the test proves nothing):\n"
          + fetch.output());
    }
  }

  private List<String> guestArgv() {
    NicPlan nic = new NicPlan("up", NicModel.VIRTIO, "00:16:3e:5e:c0:01", new NicBackend.User("127.0.0.1", List.of(
        new NicBackend.PortForward(NicBackend.Protocol.TCP, FORWARDED_PORT, 8000))));
    LaunchPlan plan = new LaunchPlan("slirp-guest", Plans.UID, Accelerator.TCG, null, 1, 256, List.of(), null, List.of(nic), null,
        Plans.paths(dir));
    return builder.argv(plan);
  }

  /**
   * Direct kernel boot with the serial shell; the builder's serial chardev (a log file) becomes a
   * socket the test types into. Nothing else of the builder's argv changes.
   */
  private Booted boot(List<String> builderArgv) throws IOException {
    Path socket = dir.resolve("shell.sock");
    String cmdline = Files.readString(GuestImages.OUT.resolve("cmdline")).strip();
    List<String> argv = new ArrayList<>();
    for (String arg : builderArgv) {
      argv.add(arg.startsWith("file,id=" + QemuCommandBuilder.SERIAL_ID + ",")
          ? "socket,id=" + QemuCommandBuilder.SERIAL_ID + ",path=" + socket + ",server=on,wait=off" : arg);
    }
    argv.addAll(List.of("-kernel", GuestImages.OUT.resolve("vmlinuz").toString(), "-initrd", GuestImages.OUT.resolve("initrd.gz").toString(),
        "-append", cmdline + " kvg.shell"));
    CommandResult started = IN_NETNS.run(argv, Duration.ofSeconds(60));
    assertEquals(0, started.exitCode(), "qemu refused:\n" + String.join("\n", argv) + "\n" + started.stderr());
    Booted booted = new Booted(Long.parseLong(Files.readString(dir.resolve("qemu.pid")).strip()), new SerialShell(socket));
    try {
      booted.shell.await(Pattern.compile("KVMGUEST-READY iface=eth0"), BOOT);
      booted.shell.await(Pattern.compile("/ # "), Duration.ofSeconds(60)); // the shell's prompt: typing now is not lost
      booted.shell.run("true", Duration.ofSeconds(30));
      return booted;
    } catch (RuntimeException | Error e) {
      booted.close();
      throw e;
    }
  }

  private static CommandResult fetchForwarded() {
    CommandResult r = null;
    for (int i = 0; i < 20; i++) {
      r = IN_NETNS.run(List.of("curl", "-sS", "--max-time", "5", "http://127.0.0.1:" + FORWARDED_PORT + "/"), Duration.ofSeconds(10));
      if (r.ok()) {
        return r;
      }
      sleep(250);
    }
    return r;
  }

  private record Booted(long pid, SerialShell shell) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      shell.close();
      ProcessHandle.of(pid).ifPresent(p -> {
        p.destroy();
        try {
          p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
        }
      });
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
