package io.kvmguest.agent.disk;

import static io.kvmguest.agent.disk.DiskSpecs.GUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.kvmguest.agent.exec.CommandResult;
import io.kvmguest.agent.exec.LinuxCommandRunner;
import io.kvmguest.agent.testing.Requirements;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preparer with the real qemu-img (and qemu-io to look inside images). No root needed. */
class DiskPreparerIT {
  private static final long MIB = 1024 * 1024;
  private static final Duration TIMEOUT = Duration.ofMinutes(2);
  /** The test's HTTP server is on loopback, which a node refuses unless allowed. */
  private static final ImportAddressPolicy LOOPBACK_ALLOWED =
      new ImportAddressPolicy(List.of(IpRange.parse("127.0.0.0/8")), java.util.Set.of());

  @TempDir Path tmp;
  private Path images;
  private final LinuxCommandRunner runner = LinuxCommandRunner.inRootNamespace();
  private HttpServer server;
  private DiskPreparer preparer;

  @BeforeEach
  void setUp() throws IOException {
    Requirements.binary("qemu-img");
    Requirements.binary("qemu-io");
    images = Files.createDirectories(tmp.resolve("images"));
    List<Path> imageDirs = Optional.ofNullable(System.getenv("KVMGUEST_IMAGE_DIR"))
        .map(dir -> List.of(images, Path.of(dir).toAbsolutePath())).orElse(List.of(images));
    StorageConfig config = StorageConfig.of(tmp.resolve("state"), imageDirs, List.of(), tmp.resolve("cache"));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.start();
    preparer = new DiskPreparer(config, new Allowlist(config, new LinuxRealPaths()), new LinuxQemuImg(runner),
        new HttpImporter(config.cacheDir(), DownloadLimits.defaults(), LOOPBACK_ALLOWED));
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void emptyImagesHaveTheRequestedFormatAndVirtualSize() {
    PreparedDrive qcow2 = preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "qcow2", "64Mi"));
    PreparedDrive raw = preparer.prepareDisk(GUEST, 1, DiskSpecs.empty("data", "raw", "32Mi"));

    assertEquals(ImageInfo.standalone("qcow2", 64 * MIB), info(qcow2.path()));
    assertEquals(ImageInfo.standalone("raw", 32 * MIB), info(raw.path()));
  }

  @Test
  void anOverlayReadsThroughToItsBaseWritesOnlyToItselfAndSurvivesPreparingAgain() throws IOException {
    Path base = images.resolve("base.raw");
    qemuImg("create", "-q", "-f", "raw", base.toString(), "4M");
    qemuIo("raw", base, "write -P 0x5a 0 1M");
    String baseDigest = sha256(base);

    PreparedDrive drive = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "8Mi", base));
    ImageInfo overlay = info(drive.path());
    qemuIo("qcow2", drive.path(), "write -P 0xab 0 64k");
    PreparedDrive again = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "8Mi", base));

    assertEquals(new ImageInfo("qcow2", 8 * MIB, Optional.of(base.toRealPath().toString()), Optional.empty()), overlay);
    assertEquals("raw", backingFormat(drive.path()));
    assertEquals(drive, again);
    qemuIo("qcow2", drive.path(), "read -P 0xab 0 64k");       // the guest's write, kept across prepare
    qemuIo("qcow2", drive.path(), "read -P 0x5a 64k 960k");    // the base, read through
    qemuIo("qcow2", drive.path(), "read -P 0x00 4M 4M");       // the grown part
    assertEquals(baseDigest, sha256(base), "the base is never written");

    preparer.deleteGuestStorage(GUEST);
    assertFalse(Files.exists(drive.path()));
    assertEquals(baseDigest, sha256(base));
  }

  @Test
  void anHttpImageIsImportedThenOverlaidOrCopied() throws IOException {
    Path published = tmp.resolve("published.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", published.toString(), "2M");
    qemuIo("qcow2", published, "write -P 0x42 0 512k");
    String digest = serve("/debian.qcow2", published);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/debian.qcow2";

    PreparedDrive overlay = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromHttp("root", "qcow2", "4Mi", url, digest));
    PreparedDrive copy = preparer.prepareDisk(GUEST, 1, DiskSpecs.fromHttp("copy", "raw", null, url, digest));

    Path cached = tmp.resolve("cache").resolve(digest);
    assertEquals(new ImageInfo("qcow2", 4 * MIB, Optional.of(cached.toString()), Optional.empty()), info(overlay.path()));
    assertEquals("qcow2", backingFormat(overlay.path()), "the downloaded format was detected");
    qemuIo("qcow2", overlay.path(), "read -P 0x42 0 512k");
    assertEquals(ImageInfo.standalone("raw", 2 * MIB), info(copy.path()));
    assertEquals(0, runner.run(List.of("qemu-img", "compare", "-f", "qcow2", "-F", "raw", published.toString(),
        copy.path().toString()), TIMEOUT).exitCode(), "the raw copy has the published content");
  }

  @Test
  void aDownloadThatPointsAtHostFilesIsRefused() throws IOException {
    Path evil = tmp.resolve("evil.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", "-b", "/etc/hostname", "-F", "raw", evil.toString(), "1M");
    String digest = serve("/evil.img", evil);
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/evil.img";

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromHttp("root", "raw", null, url, digest)));

    assertTrue(e.getMessage().contains("refers to backing file \"/etc/hostname\""), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("state/guests/" + GUEST.dirName() + "/disks/root.raw")));
  }

  @Test
  void aVmdkDescriptorInAnAllowedDirectoryIsRefused() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret.txt"), "not for guests\n".repeat(64));
    Path descriptor = images.resolve("disk.img");
    Files.writeString(descriptor, "# Disk DescriptorFile\nversion=1\nCID=fffffffe\nparentCID=ffffffff\n"
        + "createType=\"monolithicFlat\"\nRW 2 FLAT \"" + secret + "\" 0\n");
    assertTrue(qemuImg("info", "--output=json", descriptor.toString()).stdout().contains(secret.toString()),
        "qemu-img's own probe would open the test's file as the disk");

    for (String format : List.of("raw", "qcow2")) {
      StorageException e = assertThrows(StorageException.class,
          () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", format, null, descriptor)));
      assertEquals("spec.disks[0].image.source.path: the image at " + descriptor + " is a vmdk image; only raw and qcow2"
          + " images are allowed (convert it with qemu-img convert -O qcow2)", e.getMessage());
    }
    assertFalse(Files.exists(tmp.resolve("state/guests/" + GUEST.dirName() + "/disks/root.raw")));
  }

  @Test
  void aQcow2WithABackingFileInAnAllowedDirectoryIsRefused() throws IOException {
    Path secret = Files.write(tmp.resolve("secret.raw"), new byte[1024 * 1024]);
    Path overlay = images.resolve("innocent.raw");
    qemuImg("create", "-q", "-f", "qcow2", "-b", secret.toString(), "-F", "raw", overlay.toString());

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "raw", null, overlay)));

    assertEquals("spec.disks[0].image.source.path: the qcow2 image at " + overlay + " refers to backing file \"" + secret
        + "\"; a base image must be self-contained (flatten it with qemu-img convert)", e.getMessage());
  }

  @Test
  void realQemuImgInfoSeesVmdkExtents() throws IOException {
    Path secret = Files.write(tmp.resolve("extent.bin"), new byte[1024]);
    Path descriptor = Files.writeString(tmp.resolve("d.vmdk"), "# Disk DescriptorFile\nversion=1\nCID=fffffffe\n"
        + "parentCID=ffffffff\ncreateType=\"monolithicFlat\"\nRW 2 FLAT \"" + secret + "\" 0\n");

    ImageInfo info = LinuxQemuImg.parseInfo(qemuImg("info", "--output=json", "-f", "vmdk", descriptor.toString()).stdout());

    assertEquals(List.of("file \"" + secret + "\""), info.references(), "a second line of defence if a vmdk got past the probe");
  }

  private ImageInfo info(Path image) {
    return LinuxQemuImg.parseInfo(qemuImg("info", "--output=json", image.toString()).stdout());
  }

  private String backingFormat(Path image) {
    String json = qemuImg("info", "--output=json", image.toString()).stdout();
    return json.replaceAll("(?s).*\"backing-filename-format\": \"([^\"]+)\".*", "$1");
  }

  private CommandResult qemuImg(String... args) {
    List<String> argv = new java.util.ArrayList<>(List.of("qemu-img"));
    argv.addAll(List.of(args));
    return runner.check(argv, TIMEOUT);
  }

  /** Runs one qemu-io command; a failed pattern check exits non-zero and fails the test. */
  private void qemuIo(String format, Path image, String command) {
    runner.check(List.of("qemu-io", "-f", format, "-c", command, image.toString()), TIMEOUT);
  }

  private String serve(String path, Path file) throws IOException {
    byte[] body = Files.readAllBytes(file);
    server.createContext(path, exchange -> {
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    return sha256(file);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
