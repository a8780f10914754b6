package io.kvmguest.agent.disk;

import java.time.Duration;

/**
 * Bounds on one download, so that a dead or trickling server cannot hang guest preparation.
 *
 * @param connectTimeout     TCP/TLS connection set-up
 * @param responseTimeout    from request to response headers
 * @param stallTimeout       longest wait for the next bytes of the body
 * @param maxDuration        whole download, body included
 * @param progressEveryBytes log progress each time this many more bytes have arrived
 * @param maxBytes           largest body accepted; counted while reading, whatever Content-Length says
 */
public record DownloadLimits(
    Duration connectTimeout,
    Duration responseTimeout,
    Duration stallTimeout,
    Duration maxDuration,
    long progressEveryBytes,
    long maxBytes) {

  /** The --http-import-max-bytes default: room for large cloud images, not for filling the node's disk. */
  public static final long DEFAULT_MAX_BYTES = 64L << 30;

  /** Generous for multi-GiB cloud images on a slow link. */
  public static DownloadLimits defaults() {
    return new DownloadLimits(Duration.ofSeconds(30), Duration.ofMinutes(2), Duration.ofMinutes(2),
        Duration.ofHours(6), 256L * 1024 * 1024, DEFAULT_MAX_BYTES);
  }

  public DownloadLimits withMaxBytes(long bytes) {
    return new DownloadLimits(connectTimeout, responseTimeout, stallTimeout, maxDuration, progressEveryBytes, bytes);
  }
}
