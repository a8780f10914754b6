package io.kvmguest.agent.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The files guests' qcow2 disks read through to (download cache entries among them), so that
 * cache eviction leaves them. A disk that cannot be read fails the whole answer (unknown use must
 * not read as no use); a guest being prepared right now is covered by the eviction's minimum age.
 */
public final class GuestBackingFiles implements Supplier<Set<Path>> {
  private final StorageConfig config;
  private final QemuImg qemuImg;

  public GuestBackingFiles(StorageConfig config, QemuImg qemuImg) {
    this.config = config;
    this.qemuImg = qemuImg;
  }

  @Override
  public Set<Path> get() {
    Set<Path> used = new HashSet<>();
    try (DirectoryStream<Path> guests = Files.newDirectoryStream(config.stateDir().resolve("guests"))) {
      for (Path guest : guests) {
        Path disks = guest.resolve("disks");
        if (Files.isDirectory(disks)) {
          addBackingFiles(disks, used);
        }
      }
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new StorageException("cannot list guest disks under " + config.stateDir() + ": " + e.getMessage(), e);
    }
    return Set.copyOf(used);
  }

  private void addBackingFiles(Path disks, Set<Path> used) throws IOException {
    try (DirectoryStream<Path> images = Files.newDirectoryStream(disks, "*.qcow2")) {
      for (Path image : images) {
        try {
          qemuImg.info(image, "qcow2").backingFile().map(Path::of).ifPresent(used::add);
        } catch (QemuImgException e) {
          throw new StorageException("cannot read the backing file of " + image + ": " + e.getMessage(), e);
        }
      }
    }
  }
}
