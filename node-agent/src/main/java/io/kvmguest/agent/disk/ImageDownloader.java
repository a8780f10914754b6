package io.kvmguest.agent.disk;

import io.kvmguest.api.v1alpha1.HttpSource;
import java.nio.file.Path;

/** Fetches images named by URL and checksum into a local cache. */
public interface ImageDownloader {

  /**
   * A local file whose SHA-256 is {@code source.sha256()}, downloaded unless already cached.
   *
   * @param field the spec field naming the source, for error messages
   * @throws StorageException when the download fails or its checksum differs
   */
  Path fetch(HttpSource source, String field);
}
