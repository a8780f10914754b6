package io.kvmguest.agent.source;

import io.kvmguest.agent.host.AtomicFiles;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Status of file-defined guests as {@code <dir>/<namespace>_<name>.status.yaml}, replaced atomically. */
public final class DirectoryStatusSink implements StatusSink {
  private final Path dir;

  public DirectoryStatusSink(Path dir) {
    this.dir = dir;
  }

  public Path fileOf(VirtualGuest guest) {
    return dir.resolve(GuestIdentity.namespace(guest) + "_" + guest.getMetadata().getName() + ".status.yaml");
  }

  @Override
  public void report(VirtualGuest guest, VirtualGuestStatus status) {
    Path file = fileOf(guest);
    try {
      AtomicFiles.replace(file, Serialization.asYaml(status).getBytes(StandardCharsets.UTF_8), AtomicFiles.Access.WORLD_READABLE,
          AtomicFiles.Durability.CACHED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void releaseFinalizer(VirtualGuest guest) {
    try {
      Files.deleteIfExists(fileOf(guest));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
