package io.kvmguest.agent.supervise;

import java.util.List;
import java.util.Optional;

/** The host's processes, as far as supervising qemu needs them. */
public interface ProcessTable {

  /** The live (not zombie) process with this pid and its command line, if any. */
  Optional<List<String>> commandLine(long pid);

  /** SIGTERM (false) or SIGKILL (true). Returns false when there was no such process. */
  boolean signal(long pid, boolean kill);

  /**
   * Whether {@code pid} is still the qemu we started: alive and its command line names our pidfile.
   * Guards against a recycled pid being taken for the guest (or killed).
   */
  default boolean isOurs(long pid, String pidFile) {
    return commandLine(pid).map(args -> args.contains(pidFile)).orElse(false);
  }
}
