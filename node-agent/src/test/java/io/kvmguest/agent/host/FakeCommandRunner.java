package io.kvmguest.agent.host;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers scripted command lines with canned output; anything unscripted exits 127 like a missing program. */
final class FakeCommandRunner implements CommandRunner {
  private final Map<List<String>, CommandResult> answers = new HashMap<>();
  private final List<List<String>> calls = new ArrayList<>();

  FakeCommandRunner answer(List<String> argv, String stdout) {
    answers.put(List.copyOf(argv), new CommandResult(argv, 0, stdout, ""));
    return this;
  }

  FakeCommandRunner fail(List<String> argv, String stderr) {
    answers.put(List.copyOf(argv), new CommandResult(argv, 1, "", stderr));
    return this;
  }

  List<List<String>> calls() {
    return List.copyOf(calls);
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    calls.add(List.copyOf(argv));
    return answers.getOrDefault(List.copyOf(argv), new CommandResult(argv, 127, "", "not scripted: " + argv));
  }
}
