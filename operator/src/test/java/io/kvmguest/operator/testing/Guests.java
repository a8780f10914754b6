package io.kvmguest.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.DiskImage;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.Vnc;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.List;
import java.util.Map;

/** VirtualGuests for tests, built the way a user would write them. */
public final class Guests {
  private Guests() {}

  /** An empty 1Gi qcow2 disk, so the guest has a boot device. */
  public static final Disk ROOT_DISK = new Disk("root", null, null, new DiskImage(new Quantity("1Gi"), null, null), null);

  public static VirtualGuest guest(String namespace, String name, String memory, int cpus, NetworkInterface... nics) {
    return guest(namespace, name, new VirtualGuestSpec(null, cpus, new Quantity(memory), null, null, List.of(ROOT_DISK), null, null, List.of(nics), null));
  }

  public static VirtualGuest guest(String namespace, String name, VirtualGuestSpec spec) {
    VirtualGuest guest = new VirtualGuest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    guest.setSpec(spec);
    return guest;
  }

  public static NetworkInterface nic(String name) {
    return new NetworkInterface(name, "virtio", null, null);
  }

  public static NetworkInterface nic(String name, String model, String mac) {
    return new NetworkInterface(name, model, mac, null);
  }

  /** {@code spec} with another runStrategy, accelerator, nodeSelector or VNC. */
  public static VirtualGuestSpec with(VirtualGuestSpec s, String runStrategy, String accelerator, Map<String, String> nodeSelector, Vnc vnc) {
    return new VirtualGuestSpec(runStrategy == null ? s.runStrategy() : runStrategy, s.cpus(), s.memory(),
        accelerator == null ? s.accelerator() : accelerator, nodeSelector == null ? s.nodeSelector() : nodeSelector,
        s.disks(), s.cdroms(), s.boot(), s.interfaces(), vnc == null ? s.vnc() : vnc);
  }

  public static VirtualGuestSpec withCpus(VirtualGuestSpec s, int cpus) {
    return new VirtualGuestSpec(s.runStrategy(), cpus, s.memory(), s.accelerator(), s.nodeSelector(), s.disks(), s.cdroms(), s.boot(), s.interfaces(), s.vnc());
  }
}
