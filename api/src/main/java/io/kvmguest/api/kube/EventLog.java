package io.kvmguest.api.kube;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The log line of an event: every recording gets one, whether or not it reaches the API server. */
final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(GuestEvents.class);

  private EventLog() {}

  static void write(VirtualGuest guest, String type, String reason, String message) {
    var meta = guest.getMetadata();
    if (GuestEvents.WARNING.equals(type)) {
      LOG.warn("{}/{}: {} {}", meta.getNamespace(), meta.getName(), reason, message);
    } else {
      LOG.info("{}/{}: {} {}", meta.getNamespace(), meta.getName(), reason, message);
    }
  }
}
