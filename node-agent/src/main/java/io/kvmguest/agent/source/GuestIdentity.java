package io.kvmguest.agent.source;

import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A guest's uid: the API server's, or for a file-defined guest a stable one derived from namespace/name. */
public final class GuestIdentity {
  private GuestIdentity() {}

  public static String namespace(VirtualGuest guest) {
    String ns = guest.getMetadata().getNamespace();
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  public static String uid(VirtualGuest guest) {
    String uid = guest.getMetadata().getUid();
    if (uid != null && !uid.isEmpty()) {
      return uid;
    }
    String key = "kvmguest/" + namespace(guest) + "/" + guest.getMetadata().getName();
    return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
  }

  public static String key(VirtualGuest guest) {
    return namespace(guest) + "/" + guest.getMetadata().getName();
  }
}
