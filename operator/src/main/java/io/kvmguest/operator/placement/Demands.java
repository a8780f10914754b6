package io.kvmguest.operator.placement;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.kvmguest.api.validation.Quantities;
import java.math.BigDecimal;

/** A guest's spec as a placement demand: RAM plus qemu's overhead, vCPUs, KVM, nodeSelector. */
public final class Demands {
  private Demands() {}

  public static GuestDemand of(VirtualGuest guest) {
    VirtualGuestSpec spec = guest.getSpec();
    long memory = Quantities.bytes(spec.memory()).map(BigDecimal::longValue).orElse(0L);
    return new GuestDemand(guest.getMetadata().getNamespace() + "/" + guest.getMetadata().getName(),
        memory + GuestDemand.QEMU_OVERHEAD_BYTES, spec.cpus(), "kvm".equals(spec.accelerator()), spec.nodeSelector());
  }
}
