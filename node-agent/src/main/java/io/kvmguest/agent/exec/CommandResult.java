package io.kvmguest.agent.exec;

import java.util.List;

/** What a finished command did. {@code exitCode} is -1 when it was killed on timeout. */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }

  /** The command line for messages: arguments joined by spaces, not shell-quoted. */
  public String commandLine() {
    return String.join(" ", argv);
  }
}
