package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.List;

/**
 * Pings until one reply or the deadline. Repeated single pings rather than one long ping: the
 * first packets after a bridge change are often lost while ARP settles.
 */
public final class LinuxReachability implements Reachability {
  private final CommandRunner runner;

  public LinuxReachability(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public boolean reachable(String ipv4, Duration within) {
    String address = Ipv4Cidr.fromInt(Ipv4Cidr.toInt(ipv4));
    long deadline = System.nanoTime() + within.toNanos();
    do {
      if (runner.run(List.of("ping", "-n", "-c", "1", "-W", "1", address), Duration.ofSeconds(3)).ok()) {
        return true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    } while (System.nanoTime() < deadline);
    return false;
  }
}
