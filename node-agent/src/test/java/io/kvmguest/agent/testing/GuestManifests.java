package io.kvmguest.agent.testing;

/** VirtualGuest manifests of the tiny test guest, as users would write them for kubectl. */
public final class GuestManifests {
  private GuestManifests() {}

  /** 256Mi, an empty 64Mi disk, the test guest's ISO booted once, one NIC of {@code model}; namespace default. */
  public static String isoGuest(String name, String model) {
    return """
        apiVersion: kvmguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: %s, namespace: default}
        spec:
          memory: 256Mi
          disks: [{name: root, image: {size: 64Mi}}]
          cdroms: [{name: cd, iso: {path: %s}}]
          boot: {order: [disk, cdrom], once: cdrom}
          interfaces: [{name: lan, model: %s}]
        """.formatted(name, GuestImages.iso(), model);
  }
}
