package io.kvmguest.agent.disk;

import io.kvmguest.api.v1alpha1.HttpSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads images over HTTP(S) into a content-addressed cache: {@code <cache>/<sha256>}. A body
 * is streamed to a temporary file while its SHA-256 is computed, flushed to disk, and only renamed
 * to its final name when the digest matches. So a cache entry is always a verified, complete file
 * and is reused without downloading, while a temporary file left by a crash is never mistaken for
 * one. Concurrent requests for the same digest share one download.
 *
 * <p>Tenants write the URL, so the agent must not become their window onto the node's network:
 * addresses are checked by {@link ImportAddressPolicy} at connect time on every hop
 * ({@link ImportClient}), the body is capped at {@link DownloadLimits#maxBytes()}, and on a
 * checksum mismatch the message only says "does not match": reporting the digest actually
 * received would let a tenant read any URL back one resubmission later.
 */
public final class HttpImporter implements ImageDownloader {
  private static final Logger LOG = LoggerFactory.getLogger(HttpImporter.class);
  static final String PARTIAL_PREFIX = ".partial-";
  private static final int BUFFER = 1 << 20;
  private static final double MIB = 1024.0 * 1024.0;

  private final Path cacheDir;
  private final DownloadLimits limits;
  private final ImportClient client;
  private final Runnable afterDownload;
  private final ConcurrentHashMap<String, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();
  private final Set<Path> ownPartials = ConcurrentHashMap.newKeySet();

  /** @param afterDownload runs after each new cache entry, e.g. {@link DownloadCacheEviction#evict} */
  public HttpImporter(Path cacheDir, DownloadLimits limits, ImportAddressPolicy policy, Runnable afterDownload) {
    this.cacheDir = cacheDir;
    this.limits = limits;
    this.client = new ImportClient(policy, limits);
    this.afterDownload = afterDownload;
  }

  public HttpImporter(Path cacheDir, DownloadLimits limits, ImportAddressPolicy policy) {
    this(cacheDir, limits, policy, () -> {});
  }

  @Override
  public Path fetch(HttpSource source, String field) {
    String digest = source.sha256() == null ? "" : source.sha256().toLowerCase(Locale.ROOT);
    if (!digest.matches("[0-9a-f]{64}")) {
      throw new StorageException(field + ".sha256: \"" + source.sha256() + "\" is not a SHA-256: 64 hex digits");
    }
    Path target = cacheDir.resolve(digest);
    if (Files.isRegularFile(target)) {
      LOG.debug("{}: using cached {}", source.url(), target);
      DownloadCacheEviction.touch(target);
      return target;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> running = inFlight.putIfAbsent(digest, mine);
    if (running != null) {
      LOG.info("{}: waiting for the download of the same image already in progress", source.url());
      return await(running);
    }
    try {
      // Another download of this digest may have finished between the first look and now.
      Path path = Files.isRegularFile(target) ? target : download(source, digest, target, field);
      mine.complete(path);
      return path;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(digest, mine);
    }
  }

  /**
   * Deletes temporary files that downloads interrupted by a crash left behind. Call on start-up;
   * downloads running in this process are left alone.
   */
  public void discardPartialDownloads() {
    if (!Files.isDirectory(cacheDir)) {
      return;
    }
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(cacheDir, PARTIAL_PREFIX + "*")) {
      for (Path partial : partials) {
        if (!ownPartials.contains(partial)) {
          LOG.info("discarding interrupted download {}", partial);
          Files.deleteIfExists(partial);
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot clean the download cache " + cacheDir + ": " + e.getMessage(), e);
    }
  }

  private Path download(HttpSource source, String digest, Path target, String field) {
    String url = source.url();
    Path partial = null;
    try {
      Files.createDirectories(cacheDir);
      partial = Files.createTempFile(cacheDir, PARTIAL_PREFIX + digest + "-", ".tmp");
      ownPartials.add(partial);
      LOG.info("downloading {} to {}", url, target);
      String actual = fetchInto(URI.create(url), partial, field);
      if (!actual.equals(digest)) {
        // Never the actual digest, not even in the log: see the class comment.
        throw new StorageException(field + ".sha256: the SHA-256 of what " + url + " served does not match; the download"
            + " was discarded");
      }
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("r--r--r--"));
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(cacheDir);
      LOG.info("downloaded {}: SHA-256 verified, cached as {}", url, target);
      afterDownload.run();
      return target;
    } catch (IllegalArgumentException e) {
      throw new StorageException(field + ".url: \"" + url + "\" is not a valid address: " + e.getMessage(), e);
    } catch (HttpTimeoutException | java.net.SocketTimeoutException e) {
      throw StorageException.retryable(field + ": downloading " + url + " timed out: " + e.getMessage(), e);
    } catch (IOException e) {
      throw StorageException.retryable(field + ": downloading " + url + " failed: " + e, e);
    } finally {
      if (partial != null) {
        deleteQuietly(partial);
        ownPartials.remove(partial);
      }
    }
  }

  /** 5xx, 408 (timeout) and 429 (too many requests) may pass by themselves; 404 or 403 wait for a spec change. */
  private static boolean serverMayRecover(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  /** Streams the body into {@code file}; returns its SHA-256 in lower-case hex. */
  private String fetchInto(URI uri, Path file, String field) throws IOException {
    MessageDigest sha = sha256();
    try (ImportClient.Opened opened = client.get(uri, field)) {
      CloseableHttpResponse response = opened.response();
      if (response.getCode() != 200) {
        String message = field + ": GET " + uri + " answered HTTP " + response.getCode() + "; expected 200 with the image";
        throw serverMayRecover(response.getCode()) ? StorageException.retryable(message, null) : new StorageException(message);
      }
      HttpEntity entity = response.getEntity();
      long length = entity == null ? 0 : entity.getContentLength();
      if (length > limits.maxBytes()) {
        throw tooLarge(uri, field);
      }
      // Not closed itself: that would read the rest of the body. Closing `opened` drops the connection,
      // which is also what wakes a stalled read.
      InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
      try (StallWatchdog watchdog = new StallWatchdog(opened, limits.stallTimeout(), limits.maxDuration());
           FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
           OutputStream out = Channels.newOutputStream(channel)) {
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        long nextReport = limits.progressEveryBytes();
        int n;
        while (true) {
          try {
            n = body.read(buffer);
          } catch (IOException e) {
            throw watchdogged(watchdog, e);
          }
          if (n < 0) {
            break;
          }
          watchdog.progress();
          total += n;
          if (total > limits.maxBytes()) {
            throw tooLarge(uri, field);
          }
          sha.update(buffer, 0, n);
          out.write(buffer, 0, n);
          if (total >= nextReport) {
            logProgress(uri, total, length);
            nextReport = total + limits.progressEveryBytes();
          }
        }
        if (watchdog.firedReason() != null) {
          throw new HttpTimeoutException(watchdog.firedReason());
        }
        if (length >= 0 && total != length) {
          throw new IOException("the body ended after " + total + " of " + length + " bytes");
        }
        channel.force(true);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private StorageException tooLarge(URI uri, String field) {
    return new StorageException(field + ".url: " + uri + " serves more than this node's limit of " + limits.maxBytes()
        + " bytes (--http-import-max-bytes); the download was stopped");
  }

  private static IOException watchdogged(StallWatchdog watchdog, IOException e) {
    return watchdog.firedReason() == null ? e : new HttpTimeoutException(watchdog.firedReason());
  }

  private static void logProgress(URI uri, long total, long length) {
    if (length > 0) {
      LOG.info("downloading {}: {} of {} MiB ({}%)", uri, String.format("%.0f", total / MIB),
          String.format("%.0f", length / MIB), total * 100 / length);
    } else {
      LOG.info("downloading {}: {} MiB", uri, String.format("%.0f", total / MIB));
    }
  }

  private static Path await(CompletableFuture<Path> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  // Makes the rename itself durable: after a power cut the entry is either there whole or absent.
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      LOG.debug("cannot sync directory {}: {}", dir, e.toString());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", file, e.toString());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }
}
