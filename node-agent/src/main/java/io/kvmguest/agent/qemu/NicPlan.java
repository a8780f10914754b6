package io.kvmguest.agent.qemu;

import io.kvmguest.api.v1alpha1.MacAddresses;
import java.util.Objects;

/** One NIC as qemu will emulate it. */
public record NicPlan(String name, NicModel model, String mac, NicBackend backend) {

  public NicPlan {
    Objects.requireNonNull(name, "interface name");
    Objects.requireNonNull(model, "interface " + name + ": model");
    Objects.requireNonNull(backend, "interface " + name + ": backend");
    var problem = MacAddresses.problem(mac);
    if (problem.isPresent()) {
      throw new IllegalArgumentException("interface " + name + ": MAC address \"" + mac + "\" " + problem.get());
    }
    mac = MacAddresses.normalize(mac);
  }
}
