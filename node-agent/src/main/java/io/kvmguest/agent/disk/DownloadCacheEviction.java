package io.kvmguest.agent.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the download cache from filling the node: entries not used for {@code maxAge} go, then the
 * least recently used until the cache holds at most {@code maxBytes}. A use is a fetch that finds
 * the entry ({@link #touch}, its modification time). Two kinds of entry always stay: those a guest
 * overlay reads through to (deleting one would break that guest's disk), and those used within
 * {@code minAge}, so an entry just fetched is not removed before its overlay or copy is made.
 */
public final class DownloadCacheEviction {
  private static final Logger LOG = LoggerFactory.getLogger(DownloadCacheEviction.class);
  /** An entry's name is its SHA-256: anything else in the directory is not an entry. */
  private static final String ENTRY = "[0-9a-f]{64}";

  private final Path cacheDir;
  private final Duration maxAge;
  private final long maxBytes;
  private final Duration minAge;
  private final Supplier<Set<Path>> inUse;
  private final Clock clock;

  /** @param inUse the cache entries guest overlays use as backing files */
  public DownloadCacheEviction(Path cacheDir, Duration maxAge, long maxBytes, Duration minAge, Supplier<Set<Path>> inUse,
      Clock clock) {
    this.cacheDir = cacheDir;
    this.maxAge = maxAge;
    this.maxBytes = maxBytes;
    this.minAge = minAge;
    this.inUse = inUse;
    this.clock = clock;
  }

  private record Entry(Path path, Instant lastUse, long size) {}

  /** Marks an entry as used now. */
  static void touch(Path entry) {
    try {
      Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
    } catch (IOException e) {
      LOG.debug("cannot mark {} as used: {}", entry, e.toString());
    }
  }

  /** Deletes what the limits say must go; returns the deleted entries. */
  public List<Path> evict() {
    List<Entry> entries = entries();
    long total = entries.stream().mapToLong(Entry::size).sum();
    Set<Path> used;
    try {
      used = inUse.get();
    } catch (RuntimeException e) {
      LOG.warn("not evicting downloads: cannot tell which ones guest disks use: {}", e.getMessage());
      return List.of();
    }
    Instant now = clock.instant();
    List<Path> deleted = new ArrayList<>();
    entries.sort(Comparator.comparing(Entry::lastUse));
    for (Entry entry : entries) {
      Duration idle = Duration.between(entry.lastUse(), now);
      boolean evictable = !used.contains(entry.path()) && idle.compareTo(minAge) >= 0;
      if (evictable && (idle.compareTo(maxAge) > 0 || total > maxBytes)) {
        try {
          Files.deleteIfExists(entry.path());
          total -= entry.size();
          deleted.add(entry.path());
          LOG.info("evicted download {} (unused for {}, {} bytes)", entry.path(), idle, entry.size());
        } catch (IOException e) {
          LOG.warn("cannot evict {}: {}", entry.path(), e.toString());
        }
      }
    }
    return List.copyOf(deleted);
  }

  private List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(cacheDir)) {
      return entries;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(cacheDir, path -> path.getFileName().toString().matches(ENTRY))) {
      for (Path file : files) {
        entries.add(new Entry(file, Files.getLastModifiedTime(file).toInstant(), Files.size(file)));
      }
    } catch (IOException e) {
      LOG.warn("cannot list the download cache {}: {}", cacheDir, e.toString());
    }
    return entries;
  }
}
