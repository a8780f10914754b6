package io.kvmguest.agent.kube;

import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.api.v1alpha1.VncStatus;
import java.util.List;
import java.util.Map;

/** Status values as each side writes them. */
final class Statuses {
  private Statuses() {}

  static GuestCondition condition(String type, String status, String reason) {
    return new GuestCondition(type, status, reason, type + " is " + status, "2026-01-01T00:00:00Z", 1L);
  }

  /** What the operator writes once it dispatched a guest. */
  static VirtualGuestStatus operator(String node, String mac) {
    return new VirtualGuestStatus("Scheduled", node, 3L,
        List.of(condition("Valid", "True", "Valid"), condition("Scheduled", "True", "NodeChosen")), null,
        Map.of("eth0", mac), null, null);
  }

  /** What the node agent composes for a running guest (it fills in observedGeneration too; the sink must not copy it). */
  static VirtualGuestStatus agentRunning(String ip) {
    return new VirtualGuestStatus("Running", null, 99L,
        List.of(condition("Ready", "True", "Running"), condition("AcceleratorFallback", "True", "KvmUnavailable")),
        List.of(new InterfaceStatus("eth0", "virtio", "00:16:3e:00:00:01", "kvg0000aaaa", "br0", ip)), null,
        new VncStatus("127.0.0.1:5900"), "tcg");
  }

  static VirtualGuestStatus agentStopped() {
    return new VirtualGuestStatus("Stopped", null, 99L, List.of(condition("Ready", "False", "Stopped")),
        List.of(new InterfaceStatus("eth0", "virtio", "00:16:3e:00:00:01", null, null, null)), null, null, null);
  }

  static List<String> types(VirtualGuestStatus status) {
    return status.conditions().stream().map(GuestCondition::type).toList();
  }
}
