package io.kvmguest.agent.runtime;

import java.util.List;
import java.util.Optional;

/**
 * What the agent's loop last knew about one guest, published as an immutable value for readers on
 * other threads (metrics). {@code pid} is present while its qemu runs.
 *
 * @param accelerator kvm or tcg while running, else ""
 * @param memoryBytes the configured memory (spec.memory), 0 when unparsable
 */
public record GuestView(
    String uid, String namespace, String name, String phase, Optional<Long> pid, int vcpus, long memoryBytes,
    String accelerator, List<Nic> nics) {

  public GuestView {
    accelerator = accelerator == null ? "" : accelerator;
    nics = List.copyOf(nics);
  }

  public boolean running() {
    return pid.isPresent();
  }

  /** One NIC: its spec name and model, its MAC, and its tap (empty for user-mode networking). */
  public record Nic(String name, String model, String mac, Optional<String> tap) {}
}
