package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadCacheEvictionTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir Path cache;

  @Test
  void entriesUnusedLongerThanTheMaxAgeGoUnlessAGuestDiskUsesThem() throws IOException {
    Path old = entry('a', 10, Duration.ofDays(30));
    Path oldButUsed = entry('b', 10, Duration.ofDays(30));
    Path recent = entry('c', 10, Duration.ofDays(1));
    Path notAnEntry = Files.writeString(cache.resolve(".partial-x.tmp"), "x");
    Files.setLastModifiedTime(notAnEntry, FileTime.from(NOW.minus(Duration.ofDays(99))));

    List<Path> deleted = eviction(Duration.ofDays(14), 1 << 30, Set.of(oldButUsed)).evict();

    assertEquals(List.of(old), deleted);
    assertEquals(Set.of(oldButUsed, recent, notAnEntry), Set.copyOf(list()));
  }

  @Test
  void overTheSizeLimitTheLeastRecentlyUsedGoFirstButNotOneJustUsed() throws IOException {
    Path oldest = entry('a', 100, Duration.ofHours(50));
    Path older = entry('b', 100, Duration.ofHours(40));
    Path newer = entry('c', 100, Duration.ofHours(30));
    Path justFetched = entry('d', 100, Duration.ofMinutes(5));

    List<Path> deleted = eviction(Duration.ofDays(14), 150, Set.of()).evict();

    assertEquals(List.of(oldest, older, newer), deleted, "down to the limit, least recently used first");
    assertEquals(List.of(justFetched), list(), "within the minimum age it stays, even over the limit");
  }

  @Test
  void whenUseCannotBeToldNothingIsEvicted() throws IOException {
    entry('a', 10, Duration.ofDays(30));
    DownloadCacheEviction blind = new DownloadCacheEviction(cache, Duration.ofDays(1), 0, Duration.ofHours(1),
        () -> { throw new StorageException("cannot read"); }, CLOCK);

    assertEquals(List.of(), blind.evict());
    assertEquals(1, list().size());
  }

  private DownloadCacheEviction eviction(Duration maxAge, long maxBytes, Set<Path> inUse) {
    return new DownloadCacheEviction(cache, maxAge, maxBytes, Duration.ofHours(1), () -> inUse, CLOCK);
  }

  private Path entry(char digit, int size, Duration unusedFor) throws IOException {
    Path entry = Files.write(cache.resolve(String.valueOf(digit).repeat(64)), new byte[size]);
    Files.setLastModifiedTime(entry, FileTime.from(NOW.minus(unusedFor)));
    return entry;
  }

  private List<Path> list() throws IOException {
    try (var files = Files.list(cache)) {
      return files.sorted().toList();
    }
  }
}
