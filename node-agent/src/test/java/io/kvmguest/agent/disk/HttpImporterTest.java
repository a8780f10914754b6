package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kvmguest.api.v1alpha1.HttpSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a JDK HTTP server on loopback. */
class HttpImporterTest {
  private static final byte[] IMAGE = randomBytes(3 * 1024 * 1024 + 17);
  private static final String SHA = sha256(IMAGE);
  private static final DownloadLimits LIMITS = new DownloadLimits(Duration.ofSeconds(5), Duration.ofSeconds(5),
      Duration.ofMillis(500), Duration.ofSeconds(30), 1024 * 1024, 8 * 1024 * 1024);
  /** The test servers are on loopback, which a node refuses unless its administrator allows it. */
  private static final ImportAddressPolicy LOOPBACK_ALLOWED = new ImportAddressPolicy(List.of(IpRange.parse("127.0.0.0/8")), Set.of());

  @TempDir Path tmp;
  private Path cache;
  private HttpServer server;
  private ExecutorService serverThreads;
  private final AtomicInteger requests = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpImporter importer;

  @BeforeEach
  void start() throws IOException {
    cache = tmp.resolve("cache");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    server.createContext("/image", exchange -> send(exchange, 200, IMAGE));
    server.createContext("/error", exchange -> send(exchange, 500, "boom".getBytes()));
    server.createContext("/chunked", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, 0); // no Content-Length: only counting while reading can stop it
      try (OutputStream out = exchange.getResponseBody()) {
        for (int i = 0; i < 64; i++) {
          out.write(IMAGE, 0, 1024 * 1024);
        }
      } catch (IOException closedByClient) {
        // expected once the importer stops reading
      }
    });
    server.createContext("/to-image", exchange -> redirect(exchange, url("/image")));
    server.createContext("/held", exchange -> {
      requests.incrementAndGet();
      await(release);
      respond(exchange, 200, IMAGE);
    });
    server.createContext("/stall", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, IMAGE.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(IMAGE, 0, 1000);
        out.flush();
        await(release);
      } catch (IOException closedByClient) {
        // expected once the importer gives up
      }
    });
    server.start();
    importer = new HttpImporter(cache, LIMITS, LOOPBACK_ALLOWED);
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    server.stop(0);
    serverThreads.shutdownNow();
    assertTrue(serverThreads.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void aVerifiedDownloadIsCachedUnderItsDigest() throws IOException {
    Path path = importer.fetch(source("/image", SHA.toUpperCase(Locale.ROOT)), "spec.disks[0].image.source.http");

    assertEquals(cache.resolve(SHA), path);
    assertArrayEquals(IMAGE, Files.readAllBytes(path));
    assertEquals(List.of(SHA), cacheFiles(), "no temporary file remains");
    assertEquals(PosixFilePermissions.fromString("r--r--r--"), Files.getPosixFilePermissions(path), "entries are read-only");
  }

  @Test
  void aChecksumMismatchIsDiscardedWithoutRevealingTheActualDigest() throws IOException {
    String wrong = "0".repeat(64);
    StorageException e = assertThrows(StorageException.class,
        () -> importer.fetch(source("/image", wrong), "spec.cdroms[0].iso.http"));

    assertEquals("spec.cdroms[0].iso.http.sha256: the SHA-256 of what " + url("/image") + " served does not match;"
        + " the download was discarded", e.getMessage());
    assertFalse(e.getMessage().toLowerCase(Locale.ROOT).contains(SHA.substring(0, 16)), "would let a tenant read any URL back");
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void aServerErrorFailsNamingTheStatus() throws IOException {
    StorageException e = assertThrows(StorageException.class,
        () -> importer.fetch(source("/error", SHA), "spec.disks[1].image.source.http"));

    assertEquals("spec.disks[1].image.source.http: GET " + url("/error") + " answered HTTP 500; expected 200 with the image",
        e.getMessage());
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void anUnreachableServerFails() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    StorageException e = assertThrows(StorageException.class,
        () -> importer.fetch(new HttpSource("http://127.0.0.1:" + closedPort + "/x.img", SHA), "f"));
    assertTrue(e.getMessage().startsWith("f: downloading http://127.0.0.1:" + closedPort + "/x.img failed: "), e.getMessage());
  }

  @Test
  void aCachedImageIsReusedWithoutDownloadingEvenAfterARestart() {
    Path first = importer.fetch(source("/image", SHA), "f");
    Path again = importer.fetch(source("/image", SHA), "f");
    Path afterRestart = new HttpImporter(cache, LIMITS, LOOPBACK_ALLOWED).fetch(source("/error", SHA), "f");

    assertEquals(first, again);
    assertEquals(first, afterRestart, "found by digest, whatever the URL");
    assertEquals(1, requests.get());
  }

  @Test
  void concurrentRequestsForOneImageDownloadOnce() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Path>> results = List.of(
          callers.submit(() -> importer.fetch(source("/held", SHA), "a")),
          callers.submit(() -> importer.fetch(source("/held", SHA), "b")),
          callers.submit(() -> importer.fetch(source("/held", SHA), "c")),
          callers.submit(() -> importer.fetch(source("/held", SHA), "d")));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (requests.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(300); // lets the other callers join the download in progress
      release.countDown();

      for (Future<Path> result : results) {
        assertEquals(cache.resolve(SHA), result.get(20, TimeUnit.SECONDS));
      }
      assertEquals(1, requests.get());
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void aStalledServerTimesOutAndLeavesNothing() throws IOException {
    long start = System.nanoTime();
    StorageException e = assertThrows(StorageException.class, () -> importer.fetch(source("/stall", SHA), "f"));

    assertTrue(e.getMessage().startsWith("f: downloading " + url("/stall") + " timed out: no data for 500 ms"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "bounded by the stall timeout");
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void aPartialFileFromACrashIsNeverUsedAndIsDiscardedOnStart() throws IOException {
    Files.createDirectories(cache);
    Path leftover = cache.resolve(HttpImporter.PARTIAL_PREFIX + SHA + "-123.tmp");
    Files.write(leftover, IMAGE); // complete content, yet unverified: must not count

    Path path = importer.fetch(source("/image", SHA), "f");
    assertEquals(1, requests.get());
    new HttpImporter(cache, LIMITS, LOOPBACK_ALLOWED).discardPartialDownloads();

    assertEquals(List.of(SHA), cacheFiles());
    assertArrayEquals(IMAGE, Files.readAllBytes(path));
  }

  @Test
  void loopbackIsRefusedUnlessAllowed() {
    HttpImporter strict = new HttpImporter(cache, LIMITS, ImportAddressPolicy.publicOnly(Set.of()));

    StorageException e = assertThrows(StorageException.class,
        () -> strict.fetch(source("/image", SHA), "spec.disks[0].image.source.http"));

    assertEquals("spec.disks[0].image.source.http.url: \"" + url("/image") + "\" is refused: 127.0.0.1 is a loopback address;"
        + " this node imports from it only if its administrator allows it (--http-import-allow)", e.getMessage());
    assertFalse(e.retryable(), "only a spec or policy change helps");
    assertEquals(0, requests.get(), "never connected");
  }

  @Test
  void cloudMetadataIsRefusedBeforeConnecting() {
    HttpImporter strict = new HttpImporter(cache, LIMITS, ImportAddressPolicy.publicOnly(Set.of()));
    long start = System.nanoTime();

    StorageException e = assertThrows(StorageException.class, () -> strict.fetch(
        new HttpSource("http://169.254.169.254/latest/meta-data/iam/security-credentials/", SHA), "spec.cdroms[0].iso.http"));

    assertTrue(e.getMessage().startsWith("spec.cdroms[0].iso.http.url: \"http://169.254.169.254/latest/meta-data/iam/"
        + "security-credentials/\" is refused: 169.254.169.254 is a link-local address"), e.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "no connection attempt, no timeout");
  }

  @Test
  void aRedirectFromAnAllowedServerToLoopbackIsRefused() throws IOException {
    HttpServer redirector = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 0);
    redirector.createContext("/mirror/debian.qcow2", exchange -> redirect(exchange, url("/image")));
    redirector.start();
    try {
      HttpImporter mirrorOnly = new HttpImporter(cache, LIMITS,
          new ImportAddressPolicy(List.of(IpRange.parse("127.0.0.2/32")), Set.of()));
      String start = "http://127.0.0.2:" + redirector.getAddress().getPort() + "/mirror/debian.qcow2";

      StorageException e = assertThrows(StorageException.class, () -> mirrorOnly.fetch(new HttpSource(start, SHA), "f.http"));

      assertEquals("f.http.url: \"" + start + "\" redirects to \"" + url("/image") + "\", which is refused: 127.0.0.1 is a"
          + " loopback address; this node imports from it only if its administrator allows it (--http-import-allow, now"
          + " 127.0.0.2/32)", e.getMessage());
      assertEquals(0, requests.get(), "the loopback server was never asked");
    } finally {
      redirector.stop(0);
    }
  }

  @Test
  void allowedRedirectsAreFollowed() {
    assertEquals(cache.resolve(SHA), importer.fetch(source("/to-image", SHA), "f"));
  }

  @Test
  void theSizeCapStopsABodyWhateverContentLengthSays() throws IOException {
    DownloadLimits small = LIMITS.withMaxBytes(1024 * 1024);
    HttpImporter capped = new HttpImporter(cache, small, LOOPBACK_ALLOWED);

    StorageException declared = assertThrows(StorageException.class, () -> capped.fetch(source("/image", SHA), "f"));
    long start = System.nanoTime();
    StorageException chunked = assertThrows(StorageException.class, () -> capped.fetch(source("/chunked", SHA), "f"));

    assertEquals("f.url: " + url("/image") + " serves more than this node's limit of 1048576 bytes (--http-import-max-bytes);"
        + " the download was stopped", declared.getMessage());
    assertEquals("f.url: " + url("/chunked") + " serves more than this node's limit of 1048576 bytes (--http-import-max-bytes);"
        + " the download was stopped", chunked.getMessage());
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "stopped, not read to the end");
    assertEquals(List.of(), cacheFiles());
  }

  @Test
  void eachNewEntryRunsTheEvictionHook() {
    AtomicInteger evictions = new AtomicInteger();
    HttpImporter withHook = new HttpImporter(cache, LIMITS, LOOPBACK_ALLOWED, evictions::incrementAndGet);

    withHook.fetch(source("/image", SHA), "f");
    withHook.fetch(source("/image", SHA), "f");

    assertEquals(1, evictions.get(), "a cache hit adds nothing to evict");
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private HttpSource source(String path, String sha) {
    return new HttpSource(url(path), sha);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  private void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    requests.incrementAndGet();
    respond(exchange, status, body);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private List<String> cacheFiles() throws IOException {
    if (!Files.isDirectory(cache)) {
      return List.of();
    }
    try (var files = Files.list(cache)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new Random(42).nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
