package io.kvmguest.operator.placement;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.kvmguest.api.validation.Quantities;

/** A guest's spec as a placement demand: RAM plus qemu's overhead, vCPUs, KVM, nodeSelector. */
public final class Demands {
  private Demands() {}

  public static GuestDemand of(VirtualGuest guest) {
    VirtualGuestSpec spec = guest.getSpec();
    long memory = Quantities.byteCount(spec.memory());
    return new GuestDemand(guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName(),
        memory + GuestDemand.QEMU_OVERHEAD_BYTES, spec.cpus(), "kvm".equals(spec.accelerator()), spec.nodeSelector());
  }
}
