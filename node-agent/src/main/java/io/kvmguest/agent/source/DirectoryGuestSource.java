package io.kvmguest.agent.source;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guests defined by YAML files in a directory, one guest per {@code *.yaml} — the node agent
 * without a cluster, like a kubelet's static pods. Polled; a file that does not parse is logged
 * once and ignored until it changes.
 */
public final class DirectoryGuestSource implements GuestSource {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryGuestSource.class);

  private final Path dir;
  private final Duration pollInterval;
  private final Map<Path, String> contents = new ConcurrentHashMap<>();
  private final Map<Path, VirtualGuest> parsed = new ConcurrentHashMap<>();
  private ScheduledExecutorService poller;

  public DirectoryGuestSource(Path dir, Duration pollInterval) {
    this.dir = dir;
    this.pollInterval = pollInterval;
  }

  @Override
  public List<VirtualGuest> guests() {
    return new ArrayList<>(parsed.values());
  }

  @Override
  public synchronized void start(Runnable onChange) {
    scan();
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "guest-dir-poll");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleWithFixedDelay(() -> {
      if (scan()) {
        onChange.run();
      }
    }, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Re-reads the directory; true when anything changed. */
  boolean scan() {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList();
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", dir, e.getMessage());
      return false;
    }
    boolean changed = contents.keySet().retainAll(files) | parsed.keySet().retainAll(files);
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        continue;
      }
      if (text.equals(contents.put(file, text))) {
        continue;
      }
      changed = true;
      try {
        parsed.put(file, Serialization.unmarshal(text, VirtualGuest.class));
      } catch (RuntimeException e) {
        parsed.remove(file);
        LOG.warn("{} is not a VirtualGuest: {}", file, e.getMessage());
      }
    }
    return changed;
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
