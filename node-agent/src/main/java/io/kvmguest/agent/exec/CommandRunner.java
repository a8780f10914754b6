package io.kvmguest.agent.exec;

import java.time.Duration;
import java.util.List;

/**
 * Runs a host command from an argument vector, never through a shell, with a bounded wait.
 * The seam through which the agent's Linux implementations touch the host.
 */
public interface CommandRunner {

  /** Runs {@code argv} to completion or until {@code timeout}, when it is killed. */
  CommandResult run(List<String> argv, Duration timeout);

  /** Runs and throws {@link CommandFailedException} unless the exit code is 0. */
  default CommandResult check(List<String> argv, Duration timeout) {
    CommandResult result = run(argv, timeout);
    if (result.exitCode() != 0) {
      throw new CommandFailedException(result);
    }
    return result;
  }

  default CommandResult check(String... argv) {
    return check(List.of(argv), Duration.ofSeconds(30));
  }
}
