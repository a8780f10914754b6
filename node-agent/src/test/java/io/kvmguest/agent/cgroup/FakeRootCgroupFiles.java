package io.kvmguest.agent.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link CgroupFiles} on a fake root directory: {@code /sys/fs/cgroup/cpu} is
 * {@code <root>/sys/fs/cgroup/cpu}. It behaves like cgroupfs where placement depends on it: a new
 * cgroup gets its parent's interface files, empty; a cpuset cgroup without cpus or mems refuses a
 * process; a cgroup with processes or children cannot be removed.
 */
final class FakeRootCgroupFiles implements CgroupFiles {
  final Path root;

  FakeRootCgroupFiles(Path root) {
    this.root = root;
  }

  Path real(Path path) {
    return root.resolve(path.toString().replaceFirst("^/+", ""));
  }

  /** A file of the fake host, with its parent directories. */
  FakeRootCgroupFiles file(String path, String text) throws IOException {
    Path real = real(Path.of(path));
    Files.createDirectories(real.getParent());
    Files.writeString(real, text);
    return this;
  }

  FakeRootCgroupFiles directory(String path) throws IOException {
    Files.createDirectories(real(Path.of(path)));
    return this;
  }

  String text(String path) throws IOException {
    return Files.readString(real(Path.of(path)));
  }

  boolean exists(String path) {
    return Files.exists(real(Path.of(path)));
  }

  @Override
  public Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(real(file), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(Path file, String text) throws IOException {
    Path real = real(file);
    if (!Files.isRegularFile(real)) {
      throw new NoSuchFileException(file.toString());
    }
    if (file.getFileName().toString().equals("cgroup.procs")) {
      for (String cpuset : List.of("cpuset.cpus", "cpuset.mems")) {
        Path setting = real.resolveSibling(cpuset);
        if (Files.exists(setting) && Files.readString(setting).isBlank()) {
          throw new FileSystemException(file.toString(), null, "No space left on device");
        }
      }
      Files.writeString(real, Files.readString(real) + text);
    } else {
      Files.writeString(real, text);
    }
  }

  @Override
  public boolean isDirectory(Path path) {
    return Files.isDirectory(real(path));
  }

  @Override
  public boolean isWritable(Path directory) {
    return Files.isDirectory(real(directory)) && Files.isWritable(real(directory));
  }

  @Override
  public boolean isExecutable(Path file) {
    return Files.isRegularFile(real(file)) && Files.isExecutable(real(file));
  }

  @Override
  public void makeDirectory(Path directory) throws IOException {
    Path real = real(directory);
    if (Files.isDirectory(real)) {
      return;
    }
    Files.createDirectory(real);
    try (Stream<Path> siblings = Files.list(real.getParent())) {
      for (Path file : siblings.filter(Files::isRegularFile).toList()) {
        Files.writeString(real.resolve(file.getFileName()), "");
      }
    }
  }

  @Override
  public boolean removeDirectory(Path directory) throws IOException {
    Path real = real(directory);
    if (!Files.isDirectory(real)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(real)) {
      List<Path> all = entries.toList();
      Path procs = real.resolve("cgroup.procs");
      if (all.stream().anyMatch(Files::isDirectory) || (Files.exists(procs) && !Files.readString(procs).isBlank())) {
        throw new FileSystemException(directory.toString(), null, "Device or resource busy");
      }
      for (Path file : all) {
        Files.delete(file);
      }
    }
    Files.delete(real);
    return true;
  }
}
