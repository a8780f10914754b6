package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.Boot;
import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.Limits;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Per-device bootOrder, boot.order and boot.once, and that something can be booted at all. */
final class BootRules {
  private BootRules() {}

  static void check(VirtualGuestSpec spec, Errors errors) {
    checkBootOrders(spec, errors);
    Boot boot = spec.boot();
    if (boot != null) {
      checkKinds(spec, boot, errors);
    }
    if (!hasBootDevice(spec)) {
      errors.add("spec", "has no boot device: add a disk or a cdrom, or an interface with boot.order containing network");
    }
  }

  private static void checkBootOrders(VirtualGuestSpec spec, Errors errors) {
    Map<Integer, String> seen = new HashMap<>();
    for (int i = 0; i < spec.disks().size(); i++) {
      checkBootOrder(spec.disks().get(i).bootOrder(), "spec.disks[" + i + "].bootOrder", seen, errors);
    }
    for (int i = 0; i < spec.cdroms().size(); i++) {
      checkBootOrder(spec.cdroms().get(i).bootOrder(), "spec.cdroms[" + i + "].bootOrder", seen, errors);
    }
  }

  private static void checkBootOrder(Integer order, String path, Map<Integer, String> seen, Errors errors) {
    if (order == null) {
      return;
    }
    if (order < Limits.MIN_BOOT_ORDER) {
      errors.add(path, order + " is out of range: boot orders start at 1");
      return;
    }
    String earlier = seen.putIfAbsent(order, path);
    if (earlier != null) {
      errors.add(path, order + " is already used by " + earlier + ": each device needs its own boot order");
    }
  }

  private static void checkKinds(VirtualGuestSpec spec, Boot boot, Errors errors) {
    Set<String> listed = new HashSet<>();
    for (int i = 0; i < boot.order().size(); i++) {
      String kind = boot.order().get(i);
      String path = "spec.boot.order[" + i + "]";
      if (!listed.add(kind)) {
        errors.add(path, "\"" + kind + "\" is listed twice: name each device kind once");
      }
      checkKind(spec, kind, path, errors);
    }
    if (boot.once() != null) {
      checkKind(spec, boot.once(), "spec.boot.once", errors);
    }
  }

  private static void checkKind(VirtualGuestSpec spec, String kind, String path, Errors errors) {
    var problem = Checks.oneOf(Enums.BootDevice.class, kind);
    if (problem.isPresent()) {
      errors.add(path, problem.get());
    } else if (!hasDeviceOfKind(spec, kind)) {
      errors.add(path, "\"" + kind + "\" names a device kind the guest does not have: add a " + (kind.equals("network") ? "interface" : kind) + " or remove it here");
    }
  }

  private static boolean hasDeviceOfKind(VirtualGuestSpec spec, String kind) {
    return switch (kind) {
      case "disk" -> !spec.disks().isEmpty();
      case "cdrom" -> !spec.cdroms().isEmpty();
      case "network" -> !spec.interfaces().isEmpty();
      default -> false;
    };
  }

  private static boolean hasBootDevice(VirtualGuestSpec spec) {
    if (!spec.disks().isEmpty() || !spec.cdroms().isEmpty()) {
      return true;
    }
    Boot boot = spec.boot();
    boolean networkBoot = boot != null && (boot.order().contains("network") || "network".equals(boot.once()));
    return networkBoot && !spec.interfaces().isEmpty();
  }
}
