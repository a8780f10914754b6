package io.kvmguest.packaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The cgroup directories a test's agent made, in every mounted hierarchy, and their removal. */
public final class GuestCgroupDirs {
  private GuestCgroupDirs() {}

  /** {@code <mount>/<relative>} in each cgroup hierarchy mounted here, where it exists. */
  public static List<Path> find(String relative) {
    return mounts().stream().map(m -> m.resolve(relative)).filter(Files::isDirectory).toList();
  }

  /** rmdir of {@code relative} and everything under it, children first, once their processes are gone. */
  public static void removeTree(String relative, Duration timeout) {
    await("cgroup dirs under " + relative + " removed").atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (Path top : find(relative)) {
        try (Stream<Path> tree = Files.walk(top)) {
          for (Path dir : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
            try {
              Files.delete(dir); // a cgroup dir goes with rmdir, its control files with it
            } catch (IOException busy) {
              // still has processes or children; retried
            }
          }
        }
      }
      return find(relative).isEmpty();
    });
  }

  private static List<Path> mounts() {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" "))
          .filter(f -> {
            int dash = List.of(f).indexOf("-");
            return dash > 0 && (f[dash + 1].equals("cgroup") || f[dash + 1].equals("cgroup2"));
          })
          .map(f -> Path.of(f[4]))
          .distinct()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
