package io.kvmguest.agent.disk;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Records each argv and answers from a script of results (exit 0 with no output by default). */
final class FakeCommandRunner implements CommandRunner {
  private final List<List<String>> commands = new ArrayList<>();
  private final List<Duration> timeouts = new ArrayList<>();
  private final Deque<CommandResult> answers = new ArrayDeque<>();

  void answer(int exitCode, String stdout, String stderr) {
    answers.add(new CommandResult(List.of(), exitCode, stdout, stderr));
  }

  List<List<String>> commands() {
    return List.copyOf(commands);
  }

  List<Duration> timeouts() {
    return List.copyOf(timeouts);
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    commands.add(List.copyOf(argv));
    timeouts.add(timeout);
    CommandResult answer = answers.isEmpty() ? new CommandResult(List.of(), 0, "", "") : answers.poll();
    return new CommandResult(argv, answer.exitCode(), answer.stdout(), answer.stderr());
  }
}
