package io.kvmguest.api.kube;

import io.kvmguest.api.v1alpha1.VirtualGuest;

/** Where the operator and the agent report what happened to a guest (core v1 Events on a cluster). */
public interface GuestEvents {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  void record(VirtualGuest guest, String type, String reason, String message);

  default void normal(VirtualGuest guest, String reason, String message) {
    record(guest, NORMAL, reason, message);
  }

  default void warning(VirtualGuest guest, String reason, String message) {
    record(guest, WARNING, reason, message);
  }
}
