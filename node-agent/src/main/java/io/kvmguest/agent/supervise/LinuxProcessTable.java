package io.kvmguest.agent.supervise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** /proc and signals. Zombies count as gone: a daemonized qemu is not our child and may wait to be reaped. */
public final class LinuxProcessTable implements ProcessTable {

  @Override
  public Optional<List<String>> commandLine(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String stat = Files.readString(proc.resolve("stat"));
      // state is the field after the parenthesised command name, which may contain spaces
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      if (state == 'Z' || state == 'X') {
        return Optional.empty();
      }
      byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
      String joined = new String(raw, StandardCharsets.UTF_8);
      return Optional.of(Arrays.asList(joined.split("\0")));
    } catch (IOException | StringIndexOutOfBoundsException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean signal(long pid, boolean kill) {
    return ProcessHandle.of(pid).map(h -> kill ? h.destroyForcibly() : h.destroy()).orElse(false);
  }
}
