package io.kvmguest.api.kube;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Events written lately, by what makes two occurrences the same event: client-go's event
 * correlator keeps the same kind of cache (an LRU of 4096) to turn repeats into a count. Bounded, so
 * a long-running agent that sees many distinct messages does not grow without end; forgetting an
 * entry only means its next repeat starts a new Event. Not thread-safe: one writer owns it.
 */
final class RecentEvents {
  /** What makes two occurrences one Event. */
  record Key(String uid, String type, String reason, String message, String component) {}

  /** The Event written for a key: its name, how often it happened, when first and last. */
  record Written(String name, int count, Instant first, Instant last) {
    Written again(Instant at) {
      return new Written(name, count + 1, first, at);
    }
  }

  private final Duration window;
  private final Map<Key, Written> entries;

  RecentEvents(Duration window, int capacity) {
    this.window = window;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Written> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The Event to count a repeat at {@code now} on, if the last occurrence is within the window. */
  Optional<Written> repeatOf(Key key, Instant now) {
    Written written = entries.get(key);
    if (written == null || written.last().plus(window).isBefore(now)) {
      return Optional.empty();
    }
    return Optional.of(written);
  }

  void remember(Key key, Written written) {
    entries.put(key, written);
  }

  void forget(Key key) {
    entries.remove(key);
  }

  int size() {
    return entries.size();
  }
}
