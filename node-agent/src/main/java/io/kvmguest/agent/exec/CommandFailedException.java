package io.kvmguest.agent.exec;

/** A host command exited non-zero; the message carries its command line and stderr. */
public class CommandFailedException extends RuntimeException {
  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super("`" + result.commandLine() + "` failed (exit " + result.exitCode() + "): " + result.stderr().strip());
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
