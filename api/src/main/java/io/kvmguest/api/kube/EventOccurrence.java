package io.kvmguest.api.kube;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.time.Instant;

/**
 * One recording, taken on the caller's thread: the reference is copied out of the guest because the
 * caller may change the guest before the write happens, and the time is when it happened, not when
 * the API server heard of it.
 */
record EventOccurrence(ObjectReference involved, String type, String reason, String message, Instant at) {
  static EventOccurrence of(VirtualGuest guest, String type, String reason, String message, Instant at) {
    var meta = guest.getMetadata();
    ObjectReference involved = new ObjectReferenceBuilder().withApiVersion(guest.getApiVersion()).withKind(guest.getKind())
        .withNamespace(meta.getNamespace()).withName(meta.getName()).withUid(meta.getUid()).build();
    return new EventOccurrence(involved, type, reason, message, at);
  }

  String namespace() {
    return involved.getNamespace();
  }

  String describe() {
    return type + " event " + reason + " for VirtualGuest " + involved.getNamespace() + "/" + involved.getName();
  }

  RecentEvents.Key key(String component) {
    return new RecentEvents.Key(involved.getUid(), type, reason, message, component);
  }
}
