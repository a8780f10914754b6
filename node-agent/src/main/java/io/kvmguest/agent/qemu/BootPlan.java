package io.kvmguest.agent.qemu;

import java.util.List;

/**
 * qemu {@code -boot order=..,once=..}: device kinds in turn, and a kind for the first boot only.
 *
 * @param once null when every boot follows {@code order}
 */
public record BootPlan(List<BootDevice> order, BootDevice once) {
  public BootPlan {
    order = order == null ? List.of() : List.copyOf(order);
  }

  public boolean isEmpty() {
    return order.isEmpty() && once == null;
  }
}
