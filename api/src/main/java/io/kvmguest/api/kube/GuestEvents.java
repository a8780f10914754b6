package io.kvmguest.api.kube;

import io.kvmguest.api.v1alpha1.VirtualGuest;

/**
 * Where the operator and the agent report what happened to a guest (core v1 Events on a cluster,
 * see {@link KubernetesGuestEvents}). Recording never throws and never waits on the API server.
 */
public interface GuestEvents {
  String NORMAL = "Normal";
  String WARNING = "Warning";

  /** Records nothing: for callers without a cluster, and tests that do not look at events. */
  GuestEvents NONE = (guest, type, reason, message) -> { };

  /** Writes each event to the log only: for callers without a cluster that still want the story told. */
  GuestEvents LOG_ONLY = EventLog::write;

  void record(VirtualGuest guest, String type, String reason, String message);

  default void normal(VirtualGuest guest, String reason, String message) {
    record(guest, NORMAL, reason, message);
  }

  default void warning(VirtualGuest guest, String reason, String message) {
    record(guest, WARNING, reason, message);
  }
}
