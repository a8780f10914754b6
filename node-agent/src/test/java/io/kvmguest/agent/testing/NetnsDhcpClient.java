package io.kvmguest.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.kvmguest.agent.exec.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DHCP client for a link inside a {@link NetnsFixture}: busybox {@code udhcpc} in the
 * foreground, quitting once it has a lease, with a small hook script (busybox-static ships none)
 * that puts the address and default route on the link. Stands in for a guest or a LAN host.
 */
public final class NetnsDhcpClient {
  private static final String HOOK = """
      #!/bin/sh
      # udhcpc hook for tests: apply the lease to $interface, nothing else.
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
}
