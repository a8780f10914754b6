package io.kvmguest.agent.metrics;

import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@link GuestSampler.Taps} from one {@code ip -s -j link show} through the agent's runner, so it
 * sees the links of the agent's network namespace ({@code --netns}), not the JVM's /sys/class/net.
 */
public final class IpTapCounters implements GuestSampler.Taps {
  private static final List<String> ARGV = List.of("ip", "-s", "-j", "link", "show");
  private final CommandRunner runner;

  public IpTapCounters(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public Map<String, TapCounters> read() {
    return TapCounters.parse(runner.check(ARGV, Duration.ofSeconds(5)).stdout());
  }
}
