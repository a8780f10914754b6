package io.kvmguest.agent.net;

import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Records every argv; answers with the stdout/exit code scripted for a command-line prefix, else "" / 0. */
final class ScriptedCommandRunner implements CommandRunner {
  private final List<List<String>> calls = new ArrayList<>();
  private final Map<String, CommandResult> answers = new LinkedHashMap<>();

  ScriptedCommandRunner answer(String commandLinePrefix, int exitCode, String stdout) {
    return answer(commandLinePrefix, exitCode, stdout, exitCode == 0 ? "" : "scripted failure");
  }

  ScriptedCommandRunner answer(String commandLinePrefix, int exitCode, String stdout, String stderr) {
    answers.put(commandLinePrefix, new CommandResult(List.of(), exitCode, stdout, stderr));
    return this;
  }

  @Override
  public CommandResult run(List<String> argv, Duration timeout) {
    calls.add(List.copyOf(argv));
    String line = String.join(" ", argv);
    for (var e : answers.entrySet()) {
      if (line.startsWith(e.getKey())) {
        return new CommandResult(argv, e.getValue().exitCode(), e.getValue().stdout(), e.getValue().stderr());
      }
    }
    return new CommandResult(argv, 0, "", "");
  }

  List<List<String>> calls() {
    return List.copyOf(calls);
  }

  List<String> lines() {
    return calls.stream().map(a -> String.join(" ", a)).toList();
  }
}
