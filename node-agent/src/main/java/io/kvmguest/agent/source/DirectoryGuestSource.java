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
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Guests defined by YAML files in a directory, one guest per {@code *.yaml} — the node agent
 * without a cluster, like a kubelet's static pods. The directory is watched (inotify, through the
 * JDK's WatchService), so a file written is seen at once, and re-read every poll interval
 * anyway, in case an event was lost or the filesystem sends none. A file that does not parse is
 * logged once and ignored until it changes.
 */
public final class DirectoryGuestSource implements GuestSource {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryGuestSource.class);

  private final Path dir;
  private final Duration pollInterval;
  private final Map<Path, String> contents = new ConcurrentHashMap<>();
  private final Map<Path, VirtualGuest> parsed = new ConcurrentHashMap<>();
  private Thread watcher;
  private WatchService watch;

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
    try {
      watch = dir.getFileSystem().newWatchService();
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      LOG.warn("cannot watch {} ({}): polling it every {} ms only", dir, e.getMessage(), pollInterval.toMillis());
    }
    watcher = new Thread(() -> follow(onChange), "guest-dir-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Rescans on every batch of directory events, and every poll interval without one. */
  private void follow(Runnable onChange) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        if (watch == null) {
          Thread.sleep(pollInterval.toMillis());
        } else {
          WatchKey key = watch.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        }
        if (scan()) {
          onChange.run();
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed
    }
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
    if (watcher != null) {
      watcher.interrupt();
    }
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.debug("closing the watch of {}: {}", dir, e.getMessage());
      }
    }
  }
}
