package io.kvmguest.agent.host;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** An in-memory host file system: files with text, bare paths (device nodes) and openable ones. */
final class FakeHostFiles implements HostFiles {
  private final Map<Path, String> texts = new HashMap<>();
  private final Set<Path> present = new HashSet<>();
  private final Set<Path> openable = new HashSet<>();

  FakeHostFiles file(String path, String text) {
    texts.put(Path.of(path), text);
    present.add(Path.of(path));
    return this;
  }

  /** A path that exists but is not read, such as a device node; {@code opens} says whether open(O_RDWR) works. */
  FakeHostFiles node(String path, boolean opens) {
    present.add(Path.of(path));
    if (opens) {
      openable.add(Path.of(path));
    }
    return this;
  }

  @Override
  public Optional<String> read(Path file) {
    return Optional.ofNullable(texts.get(file));
  }

  @Override
  public boolean exists(Path path) {
    return present.contains(path);
  }

  @Override
  public List<String> list(Path directory) {
    return present.stream()
        .filter(p -> directory.equals(p.getParent()))
        .map(p -> p.getFileName().toString())
        .sorted()
        .toList();
  }

  @Override
  public boolean opensReadWrite(Path file) {
    return openable.contains(file);
  }
}
