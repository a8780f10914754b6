package io.kvmguest.agent.cgroup;

import io.kvmguest.agent.host.HostFiles;
import io.kvmguest.agent.host.LinuxHostFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** {@link CgroupFiles} on the real file system. */
public final class LinuxCgroupFiles implements CgroupFiles {
  private final HostFiles host = new LinuxHostFiles();

  @Override
  public Optional<String> read(Path file) {
    return host.read(file);
  }

  @Override
  public void write(Path file, String text) throws IOException {
    // no CREATE, no TRUNCATE: a cgroup's files exist, and the kernel takes each write as one value
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
  }

  @Override
  public boolean isDirectory(Path path) {
    return Files.isDirectory(path);
  }

  @Override
  public boolean isWritable(Path directory) {
    return Files.isDirectory(directory) && Files.isWritable(directory);
  }

  @Override
  public boolean isExecutable(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }

  @Override
  public void makeDirectory(Path directory) throws IOException {
    try {
      Files.createDirectory(directory);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
    }
  }

  @Override
  public boolean removeDirectory(Path directory) throws IOException {
    // rmdir(2): on cgroupfs it succeeds while the interface files are there, and fails while in use
    try {
      Files.delete(directory);
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }
}
