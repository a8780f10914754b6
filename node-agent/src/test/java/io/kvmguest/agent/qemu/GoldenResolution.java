package io.kvmguest.agent.qemu;

import io.kvmguest.api.v1alpha1.Cdrom;
import io.kvmguest.api.v1alpha1.Disk;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed stand-in for what the agent's storage, MAC and network steps would resolve, so golden
 * cases differ only by their guest YAML:
 * <ul>
 *   <li>image disks: {@code STATE/guests/UID/disks/NAME.FORMAT}; block devices: their path, raw
 *   <li>ISOs: their path, or {@code STATE/cache/SHA256.iso} when downloaded; raw
 *   <li>MACs: the spec's, else {@code 00:16:3e:00:ff:NN} by position
 *   <li>taps (bridge interfaces): {@code kvg} + first 6 hex digits of the uid + position
 *   <li>forwarded ports (user networking) on 127.0.0.1
 *   <li>VNC: display 3 on 0.0.0.0; QMP socket, pidfile, serial log in {@code STATE/guests/UID/}
 * </ul>
 */
final class GoldenResolution {
  private final Path stateDir;

  GoldenResolution(Path stateDir) {
    this.stateDir = stateDir;
  }

  ResolvedResources resources(VirtualGuest guest) {
    VirtualGuestSpec spec = guest.getSpec();
    String uid = guest.getMetadata().getUid();
    Map<String, ResolvedImage> images = new LinkedHashMap<>();
    for (Disk disk : spec.disks()) {
      images.put(disk.name(), disk.blockDevice() != null
          ? new ResolvedImage(Path.of(disk.blockDevice().path()), ImageFormat.RAW)
          : new ResolvedImage(guestDir(uid).resolve("disks").resolve(disk.name() + "." + disk.image().format()),
              ImageFormat.fromApi(disk.image().format())));
    }
    for (Cdrom cdrom : spec.cdroms()) {
      Path iso = cdrom.iso().path() != null
          ? Path.of(cdrom.iso().path())
          : stateDir.resolve("cache").resolve(cdrom.iso().http().sha256() + ".iso");
      images.put(cdrom.name(), new ResolvedImage(iso, ImageFormat.RAW));
    }
    Map<String, String> macs = new LinkedHashMap<>();
    Map<String, String> taps = new LinkedHashMap<>();
    for (int i = 0; i < spec.interfaces().size(); i++) {
      NetworkInterface nic = spec.interfaces().get(i);
      macs.put(nic.name(), nic.macAddress() != null ? nic.macAddress() : String.format("00:16:3e:00:ff:%02x", i + 1));
      boolean user = nic.network() != null && nic.network().user() != null;
      if (!user) {
        taps.put(nic.name(), "kvg" + uid.substring(0, 6) + i);
      }
    }
    boolean vnc = spec.vnc() != null && spec.vnc().enabled();
    return new ResolvedResources(images, macs, taps,
        vnc ? Optional.of(new VncEndpoint("0.0.0.0", 3)) : Optional.empty(), "127.0.0.1");
  }

  RuntimePaths paths(VirtualGuest guest) {
    Path dir = guestDir(guest.getMetadata().getUid());
    return new RuntimePaths(dir.resolve("qmp.sock"), dir.resolve("qemu.pid"), dir.resolve("serial.log"));
  }

  private Path guestDir(String uid) {
    return stateDir.resolve("guests").resolve(uid);
  }
}
