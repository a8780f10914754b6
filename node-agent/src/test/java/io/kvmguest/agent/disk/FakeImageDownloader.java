package io.kvmguest.agent.disk;

import io.kvmguest.api.v1alpha1.HttpSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Serves downloads from memory into a cache directory, named by digest like the real cache. */
final class FakeImageDownloader implements ImageDownloader {
  private final Path cacheDir;
  private final Map<String, String> digestsByUrl = new HashMap<>();
  private final List<String> fetched = new ArrayList<>();

  FakeImageDownloader(Path cacheDir) {
    this.cacheDir = cacheDir;
  }

  /** {@code url} serves content whose SHA-256 is {@code sha256}. */
  void serve(String url, String sha256) {
    digestsByUrl.put(url, sha256);
  }

  List<String> fetched() {
    return List.copyOf(fetched);
  }

  @Override
  public Path fetch(HttpSource source, String field) {
    fetched.add(source.url());
    String actual = digestsByUrl.get(source.url());
    if (actual == null) {
      throw new StorageException(field + ": GET " + source.url() + " answered HTTP 404");
    }
    if (!actual.equals(source.sha256())) {
      throw new StorageException(field + ": " + source.url() + " has SHA-256 " + actual + " but " + source.sha256() + " was expected");
    }
    Path target = cacheDir.resolve(actual);
    try {
      Files.createDirectories(cacheDir);
      if (!Files.exists(target)) {
        Files.writeString(target, "downloaded " + source.url());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
