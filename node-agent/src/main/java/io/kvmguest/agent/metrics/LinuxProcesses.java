package io.kvmguest.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link GuestSampler.Processes} from /proc (the JVM's PID namespace: the agent's own qemu children). */
public final class LinuxProcesses implements GuestSampler.Processes {
  private final Path proc;

  public LinuxProcesses() {
    this(Path.of("/proc"));
  }

  LinuxProcesses(Path proc) {
    this.proc = proc;
  }

  @Override
  public Optional<ProcStats.Sample> read(long pid) {
    Path dir = proc.resolve(Long.toString(pid));
    try {
      // readAllLines: some /proc files report a size that readString trusts and cuts short
      return ProcStats.parse(Files.readAllLines(dir.resolve("stat")), Files.readAllLines(dir.resolve("status")));
    } catch (IOException e) {
      return Optional.empty(); // exited between the view and the read
    }
  }
}
