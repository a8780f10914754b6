package io.kvmguest.standalone.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.InterfaceStatus;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.List;

/** Writes guest statuses through the status subresource, as the node agent does. */
final class GuestStatuses {
  private GuestStatuses() {
  }

  static VirtualGuestStatus runningStatus(String node, String ip) {
    return new VirtualGuestStatus("Running", node, 1L,
        List.of(new GuestCondition("Ready", "True", "Booted", "the guest is up", "2025-01-01T00:00:00Z", 1L)),
        List.of(new InterfaceStatus("lan", "virtio", "00:16:3e:00:00:01", "tap0", "br0", ip)), null, null, "tcg");
  }

  /** PUT /status with the latest resourceVersion. */
  static VirtualGuest running(KubernetesClient client, String name, String node, String ip) {
    VirtualGuest guest = client.resources(VirtualGuest.class).withName(name).get();
    guest.setStatus(runningStatus(node, ip));
    return client.resource(guest).updateStatus();
  }
}
