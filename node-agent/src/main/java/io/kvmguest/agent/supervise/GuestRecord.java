package io.kvmguest.agent.supervise;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What the agent started for one guest. Written to the state dir before qemu is launched and
 * updated with the pid after, so that an agent that restarts (or was SIGKILLed) can adopt the
 * running qemu or clean up what it left: KubeVirt's "ghost record". {@code specDigest} is {@link
 * io.kvmguest.agent.runtime.SpecDigest} of the spec qemu was started from (null in records of older agents).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestRecord(
    String uid,
    String namespace,
    String name,
    String pidFile,
    String qmpSocket,
    String serialLog,
    List<String> taps,
    Integer vncDisplay,
    Long pid,
    String launchedAt,
    List<String> argv,
    String restartRequest,
    String specDigest) {

  public GuestRecord {
    taps = taps == null ? List.of() : List.copyOf(taps);
    argv = argv == null ? List.of() : List.copyOf(argv);
  }

  public GuestRecord withPid(long newPid, String at) {
    return new GuestRecord(uid, namespace, name, pidFile, qmpSocket, serialLog, taps, vncDisplay, newPid, at, argv, restartRequest,
        specDigest);
  }

  public String key() {
    return namespace + "/" + name;
  }
}
