package io.kvmguest.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DHCP client for a link inside a {@link NetnsFixture}: busybox {@code udhcpc} in the
 * foreground, quitting once it has a lease, with a small hook script (busybox-static ships none)
 * that puts the address and default route on the link. Stands in for a guest or a LAN host:
 * {@link #lease} once, {@link #keepLease} as a client that holds its lease and renews it.
 */
public final class NetnsDhcpClient {
  private static final String HOOK = """
      #!/bin/sh
      # udhcpc hook for tests: apply the lease to $interface, and note the event for keepLease().
      echo "$1 ${ip:-}" >> "${0%/*}/udhcpc-$interface.events"
      case "$1" in
        deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
        bound|renew)
          ip -4 addr flush dev "$interface"
          ip addr add "$ip/$mask" dev "$interface"
          if [ -n "$router" ]; then ip route replace default via "${router%% *}" dev "$interface"; fi ;;
      esac
      exit 0
      """;
  private static final Pattern INET = Pattern.compile("\"local\":\"([0-9.]+)\"");

  private final Path hook;

  /** Writes the hook script into {@code dir} (a test's temp dir). */
  public NetnsDhcpClient(Path dir) {
    try {
      hook = dir.resolve("udhcpc-hook.sh");
      Files.writeString(hook, HOOK);
      Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asks for a lease on {@code link} for at most about {@code seconds} seconds; returns the IPv4
   * address now on the link, or empty when no server answered.
   */
  public Optional<String> lease(NetnsFixture ns, String link, int seconds) {
    CommandResult r = ns.run(Duration.ofSeconds(seconds + 10L), "busybox", "udhcpc", "-i", link, "-f", "-q", "-n",
        "-t", Integer.toString(seconds), "-T", "1", "-s", hook.toString());
    if (!r.ok()) {
      return Optional.empty();
    }
    Matcher m = INET.matcher(ns.exec("ip", "-j", "-4", "addr", "show", "dev", link).stdout());
    if (!m.find()) {
      fail("udhcpc reported a lease but " + link + " has no IPv4 address: " + r.stderr());
    }
    return Optional.of(m.group(1));
  }

  /**
   * Starts udhcpc on {@code link} in the background and keeps it running: it holds its lease, and
   * renews it when told to ({@link KeptLease#renew()}, udhcpc's SIGUSR1). Close it to stop it.
   */
  public KeptLease keepLease(NetnsFixture ns, String link) {
    Path events = hook.resolveSibling("udhcpc-" + link + ".events");
    try {
      Files.deleteIfExists(events);
      // `ip netns exec` execs the command, so the process is udhcpc itself: its pid is the one to signal.
      // -t/-A: keep discovering every second; udhcpc's default pauses 20 s after 3 unanswered tries,
      // and in NetworkWatchdogIT the first tries right after the veth joined the bridge went unanswered.
      Process udhcpc = new ProcessBuilder("ip", "netns", "exec", ns.name(), "busybox", "udhcpc", "-f", "-i", link, "-T", "1",
          "-t", "20", "-A", "1", "-s", hook.toString())
          .redirectErrorStream(true)
          .redirectOutput(hook.resolveSibling("udhcpc-" + link + ".log").toFile())
          .start();
      return new KeptLease(udhcpc, events);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running udhcpc and the hook events it has had ("bound 10.88.0.23", "renew 10.88.0.23", ...). */
  public static final class KeptLease implements AutoCloseable {
    private final Process udhcpc;
    private final Path events;

    private KeptLease(Process udhcpc, Path events) {
      this.udhcpc = udhcpc;
      this.events = events;
    }

    public long pid() {
      return udhcpc.pid();
    }

    public List<String> events() {
      try {
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** How many events of this kind (bound, renew, deconfig, leasefail, nak) the hook has had. */
    public long count(String kind) {
      return events().stream().filter(e -> e.startsWith(kind + " ")).count();
    }

    /** The address of the latest bound or renew event. */
    public Optional<String> address() {
      return events().stream().filter(e -> e.startsWith("bound ") || e.startsWith("renew "))
          .reduce((a, b) -> b).map(e -> e.substring(e.indexOf(' ') + 1));
    }

    /** Asks udhcpc to renew now, as it would itself at half the lease time. */
    public void renew() {
      try {
        Process kill = new ProcessBuilder("busybox", "kill", "-USR1", Long.toString(udhcpc.pid())).start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
          fail("could not send SIGUSR1 to udhcpc " + udhcpc.pid());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }

    @Override
    public void close() {
      udhcpc.destroy();
      try {
        if (!udhcpc.waitFor(5, TimeUnit.SECONDS)) {
          udhcpc.destroyForcibly();
        }
      } catch (InterruptedException e) {
        udhcpc.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
