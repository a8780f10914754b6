package io.kvmguest.agent.disk;

import static io.kvmguest.agent.disk.DiskSpecs.GUEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskPreparerTest {
  private static final String SHA = "a".repeat(64);
  private static final long MIB = 1024 * 1024;

  @TempDir Path tmp;
  private Path images;
  private Path disks;
  private FakeQemuImg qemu;
  private FakeImageDownloader downloads;
  private DiskPreparer preparer;

  @BeforeEach
  void setUp() throws IOException {
    images = Files.createDirectories(tmp.resolve("images"));
    qemu = new FakeQemuImg();
    downloads = new FakeImageDownloader(tmp.resolve("cache"));
    preparer = preparer(false);
    disks = tmp.resolve("state/guests/default_vm1_" + GUEST.uid() + "/disks");
  }

  private DiskPreparer preparer(boolean filesAsDevices) {
    StorageConfig config = new StorageConfig(tmp.resolve("state"), List.of(images),
        List.of(tmp + "/dev/by-id/", tmp + "/dev/sdb1"), tmp.resolve("cache"), filesAsDevices);
    return new DiskPreparer(config, new Allowlist(config, new LinuxRealPaths()), qemu, downloads);
  }

  @Test
  void emptyImagesAreCreatedInTheGuestDirWithTheRequestedSize() throws IOException {
    PreparedDrive qcow2 = preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "qcow2", "10Mi"));
    PreparedDrive raw = preparer.prepareDisk(GUEST, 1, DiskSpecs.empty("data", "raw", "1000"));

    assertEquals(new PreparedDrive("root", disks.resolve("root.qcow2"), "qcow2", false, PreparedDrive.Kind.DISK), qcow2);
    assertEquals(new PreparedDrive("data", disks.resolve("data.raw"), "raw", false, PreparedDrive.Kind.DISK), raw);
    assertEquals(10 * MIB, qemu.infoOf(qcow2.path()).virtualSize());
    assertEquals(1024, qemu.infoOf(raw.path()).virtualSize(), "rounded up to whole sectors");
    assertEquals(List.of(".root.qcow2.partial", ".data.raw.partial"),
        qemu.operations().stream().map(op -> op.split(" ")[2]).toList(), "built under a temporary name");
    assertEquals(List.of("data.raw", "root.qcow2"), list(disks));
  }

  @Test
  void anEmptyImageNeedsASize() {
    var disk = DiskSpecs.image("root", new io.kvmguest.api.v1alpha1.DiskImage(null, "qcow2", null));
    StorageException e = assertThrows(StorageException.class, () -> preparer.prepareDisk(GUEST, 2, disk));
    assertTrue(e.getMessage().startsWith("spec.disks[2].image.size: is required"), e.getMessage());
  }

  @Test
  void qcow2FromAPathIsAnOverlayOverTheBaseGrownToTheRequestedSize() throws IOException {
    Path base = images.resolve("debian.qcow2");
    qemu.register(base, ImageInfo.standalone("qcow2", 2 * MIB));

    PreparedDrive drive = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "8Mi", base));

    ImageInfo overlay = qemu.infoOf(drive.path());
    assertEquals(Optional.of(base.toString()), overlay.backingFile());
    assertEquals(8 * MIB, overlay.virtualSize());
    assertEquals(List.of("info debian.qcow2", "overlay .root.qcow2.partial on " + base + " (qcow2)",
        "resize .root.qcow2.partial " + 8 * MIB), qemu.operations());
    assertEquals(FakeQemuImg.QCOW2_MAGIC + "base qcow2", Files.readString(base, java.nio.charset.StandardCharsets.ISO_8859_1),
        "the base is never written");
  }

  @Test
  void anOverlayIsNotShrunkBelowItsBase() {
    Path base = images.resolve("big.raw");
    qemu.register(base, ImageInfo.standalone("raw", 64 * MIB));

    PreparedDrive drive = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base));

    assertEquals(64 * MIB, qemu.infoOf(drive.path()).virtualSize());
    assertFalse(qemu.operations().stream().anyMatch(op -> op.startsWith("resize")));
  }

  @Test
  void rawFromAPathIsAFullCopyInTheDetectedFormat() {
    Path base = images.resolve("base.qcow2");
    qemu.register(base, ImageInfo.standalone("qcow2", 4 * MIB));

    PreparedDrive drive = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "raw", null, base));

    assertEquals(disks.resolve("root.raw"), drive.path());
    assertEquals(List.of("info base.qcow2", "convert " + base + " (qcow2) to .root.raw.partial (raw)"), qemu.operations());
    assertEquals(ImageInfo.standalone("raw", 4 * MIB), qemu.infoOf(drive.path()));
  }

  @Test
  void httpSourcesAreDownloadedThenOverlaidOrCopied() throws IOException {
    downloads.serve("http://images.example/debian.img", SHA);

    PreparedDrive overlay = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromHttp("root", "qcow2", null, "http://images.example/debian.img", SHA));
    PreparedDrive copy = preparer.prepareDisk(GUEST, 1, DiskSpecs.fromHttp("copy", "raw", "1Mi", "http://images.example/debian.img", SHA));

    Path cached = tmp.resolve("cache").resolve(SHA);
    assertEquals(Optional.of(cached.toString()), qemu.infoOf(overlay.path()).backingFile());
    assertTrue(qemu.operations().contains("convert " + cached + " (raw) to .copy.raw.partial (raw)"), qemu.operations().toString());
    assertEquals(ImageInfo.standalone("raw", MIB), qemu.infoOf(copy.path()), "grown from the download's size");
  }

  @Test
  void aFailedDownloadNamesTheField() {
    downloads.serve("http://images.example/x.img", "b".repeat(64));
    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 3, DiskSpecs.fromHttp("root", "qcow2", null, "http://images.example/x.img", SHA)));
    assertTrue(e.getMessage().startsWith("spec.disks[3].image.source.http: "), e.getMessage());
    assertFalse(Files.exists(disks.resolve("root.qcow2")));
  }

  @Test
  void anExistingImageIsKeptAcrossRestartsAndOnlyGrows() throws IOException {
    Path base = images.resolve("base.raw");
    Files.writeString(base, "base");
    PreparedDrive first = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base));
    Files.writeString(first.path(), "guest data");
    int before = qemu.operations().size();

    PreparedDrive again = preparer(false).prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base));
    PreparedDrive grown = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "2Mi", base));
    PreparedDrive notShrunk = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base));

    assertEquals(first, again);
    assertEquals(first, grown);
    assertEquals(first, notShrunk);
    assertEquals("guest data", Files.readString(first.path()), "never recreated or overwritten");
    assertEquals(List.of("info root.qcow2", "info root.qcow2", "resize root.qcow2 " + 2 * MIB, "info root.qcow2"),
        qemu.operations().subList(before, qemu.operations().size()));
  }

  @Test
  void changingTheFormatOfAnExistingDiskIsRefusedAndTheDataKept() throws IOException {
    PreparedDrive raw = preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "raw", "1Mi"));

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "qcow2", "1Mi")));

    assertTrue(e.getMessage().startsWith("spec.disks[0].image.format: disk \"root\" already exists as raw"), e.getMessage());
    assertTrue(Files.exists(raw.path()));
    assertFalse(Files.exists(disks.resolve("root.qcow2")));
  }

  @Test
  void aFailedBuildLeavesNothingAndIsRetriedLater() throws IOException {
    Path base = images.resolve("base.raw");
    Files.writeString(base, "base");
    qemu.failNext("resize");

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base)));

    assertTrue(e.getMessage().startsWith("spec.disks[0].image: `qemu-img resize` failed"), e.getMessage());
    assertEquals(List.of(), list(disks), "neither the partial nor a final image remains");
    PreparedDrive retried = preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", "1Mi", base));
    assertEquals(MIB, qemu.infoOf(retried.path()).virtualSize());
  }

  @Test
  void aPartialImageLeftByACrashIsRebuiltNotUsed() throws IOException {
    Files.createDirectories(disks);
    Files.writeString(disks.resolve(".root.qcow2.partial"), "half written");

    PreparedDrive drive = preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "qcow2", "1Mi"));

    assertEquals("image qcow2", Files.readString(drive.path()));
    assertEquals(List.of("root.qcow2"), list(disks));
  }

  @Test
  void aBaseThatRefersToOtherFilesIsRefused() {
    Path evil = images.resolve("evil.img");
    qemu.register(evil, new ImageInfo("qcow2", MIB, Optional.of("/etc/shadow"), Optional.empty()));

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", null, evil)));

    assertTrue(e.getMessage().startsWith("spec.disks[0].image.source.path: the qcow2 image at " + evil
        + " refers to backing file \"/etc/shadow\"; a base image must be self-contained"), e.getMessage());
    assertFalse(qemu.operations().stream().anyMatch(op -> op.startsWith("overlay")));
  }

  @Test
  void aVmdkBaseIsRefusedBeforeQemuImgOpensIt() throws IOException {
    Path descriptor = Files.writeString(images.resolve("disk.img"),
        "# Disk DescriptorFile\nversion=1\ncreateType=\"monolithicFlat\"\nRW 8 FLAT \"/etc/shadow\" 0\n");

    StorageException e = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "raw", null, descriptor)));

    assertEquals("spec.disks[0].image.source.path: the image at " + descriptor + " is a vmdk image; only raw and qcow2"
        + " images are allowed (convert it with qemu-img convert -O qcow2)", e.getMessage());
    assertEquals(List.of(), qemu.operations(), "qemu-img never opened it");
  }

  @Test
  void basePathsMustBeAllowedAndExist() {
    StorageException outside = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", null, Path.of("/etc/passwd"))));
    StorageException missing = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 1, DiskSpecs.fromPath("root", "qcow2", null, images.resolve("nope.img"))));

    assertEquals("spec.disks[0].image.source.path: \"/etc/passwd\" is outside the allowed image directories ("
        + images + "); use an image from one of them", outside.getMessage());
    assertEquals("spec.disks[1].image.source.path: \"" + images.resolve("nope.img") + "\" does not exist on this node",
        missing.getMessage());
  }

  @Test
  void aBlockDeviceLimitedToNamespacesIsRefusedToGuestsOfOthers() throws IOException {
    Path device = Files.writeString(Files.createDirectories(tmp.resolve("dev/vg0")).resolve("lv1"), "pretend disk");
    StorageConfig config = new StorageConfig(tmp.resolve("state"), List.of(images), List.of(device + "=tenant-a"),
        tmp.resolve("cache"), true);
    DiskPreparer limited = new DiskPreparer(config, new Allowlist(config, new LinuxRealPaths()), qemu, downloads);

    PreparedDrive mine = limited.prepareDisk(new GuestRef("tenant-a", "vm", "1"), 0, DiskSpecs.device("data", device.toString()));
    StorageException theirs = assertThrows(StorageException.class,
        () -> limited.prepareDisk(new GuestRef("tenant-b", "vm", "2"), 0, DiskSpecs.device("data", device.toString())));

    assertEquals(device, mine.path());
    assertTrue(theirs.getMessage().startsWith("spec.disks[0].blockDevice.path: \"" + device + "\" is reserved for other namespaces"),
        theirs.getMessage());
  }

  @Test
  void blockDevicesMustBeAllowedAndBeBlockDevices() throws IOException {
    Path byId = Files.createDirectories(tmp.resolve("dev/by-id"));
    Path file = Files.writeString(byId.resolve("disk-1"), "pretend disk");

    StorageException notBlock = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.device("data", file.toString())));
    StorageException missing = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 0, DiskSpecs.device("data", tmp + "/dev/sdb1")));
    StorageException notListed = assertThrows(StorageException.class,
        () -> preparer.prepareDisk(GUEST, 1, DiskSpecs.device("data", "/dev/sda")));
    PreparedDrive accepted = preparer(true).prepareDisk(GUEST, 0, DiskSpecs.device("data", file.toString()));

    assertEquals("spec.disks[0].blockDevice.path: \"" + file + "\" is not a block device", notBlock.getMessage());
    assertEquals("spec.disks[0].blockDevice.path: \"" + tmp + "/dev/sdb1\" does not exist on this node", missing.getMessage());
    assertTrue(notListed.getMessage().startsWith("spec.disks[1].blockDevice.path: \"/dev/sda\" is not an allowed block device"),
        notListed.getMessage());
    assertEquals(new PreparedDrive("data", file, "raw", false, PreparedDrive.Kind.DISK), accepted);
    assertEquals(List.of(), qemu.operations());
  }

  @Test
  void cdromsAreReadOnlyRawFromAnAllowedPathOrADownload() throws IOException {
    Path iso = Files.writeString(images.resolve("install.iso"), "iso");
    downloads.serve("https://images.example/netinst.iso", SHA);

    PreparedDrive local = preparer.prepareCdrom(GUEST, 0, DiskSpecs.isoPath("install", iso));
    PreparedDrive remote = preparer.prepareCdrom(GUEST, 1, DiskSpecs.isoHttp("netinst", "https://images.example/netinst.iso", SHA));
    StorageException outside = assertThrows(StorageException.class,
        () -> preparer.prepareCdrom(GUEST, 2, DiskSpecs.isoPath("secrets", Path.of("/etc/shadow"))));

    assertEquals(new PreparedDrive("install", iso.toRealPath(), "raw", true, PreparedDrive.Kind.CDROM), local);
    assertEquals(new PreparedDrive("netinst", tmp.resolve("cache").resolve(SHA), "raw", true, PreparedDrive.Kind.CDROM), remote);
    assertTrue(outside.getMessage().startsWith("spec.cdroms[2].iso.path: \"/etc/shadow\" is outside"), outside.getMessage());
    assertEquals(List.of(), qemu.operations(), "an ISO is used in place, never probed or copied");
  }

  @Test
  void prepareReturnsDisksThenCdromsInSpecOrder() throws IOException {
    Path iso = Files.writeString(images.resolve("install.iso"), "iso");
    VirtualGuestSpec spec = new VirtualGuestSpec(null, 1, new Quantity("256Mi"), null, null,
        List.of(DiskSpecs.empty("root", "qcow2", "1Mi"), DiskSpecs.empty("data", "raw", "1Mi")),
        List.of(DiskSpecs.isoPath("install", iso)), null, null, null);

    List<PreparedDrive> drives = preparer.prepare(GUEST, spec);

    assertEquals(List.of("root", "data", "install"), drives.stream().map(PreparedDrive::name).toList());
    assertEquals(List.of(PreparedDrive.Kind.DISK, PreparedDrive.Kind.DISK, PreparedDrive.Kind.CDROM),
        drives.stream().map(PreparedDrive::kind).toList());
  }

  @Test
  void aRefusedFirstPrepareLeavesNoGuestDirectoryButARefusalLaterKeepsTheData() throws IOException {
    VirtualGuestSpec refused = new VirtualGuestSpec(null, 1, new Quantity("256Mi"), null, null,
        List.of(DiskSpecs.empty("root", "qcow2", "1Mi"), DiskSpecs.fromPath("data", "qcow2", null, Path.of("/etc/passwd"))),
        List.of(), null, null, null);
    assertThrows(StorageException.class, () -> preparer.prepare(GUEST, refused));
    assertFalse(Files.exists(disks.getParent()), "a guest refused on its first start leaves nothing in the state dir");

    preparer.prepareDisk(GUEST, 0, DiskSpecs.empty("root", "qcow2", "1Mi"));
    assertThrows(StorageException.class, () -> preparer.prepare(GUEST, refused));
    assertEquals(List.of("root.qcow2"), list(disks), "a guest that had storage keeps its disks' data");
  }

  @Test
  void deletingGuestStorageRemovesItsDirectoryButNotWhatItLinksTo() throws IOException {
    Path base = Files.writeString(images.resolve("base.raw"), "base");
    preparer.prepareDisk(GUEST, 0, DiskSpecs.fromPath("root", "qcow2", null, base));
    Files.createSymbolicLink(disks.resolve("link-to-images"), images);
    GuestRef other = new GuestRef("default", "vm2", "9");
    PreparedDrive kept = preparer.prepareDisk(other, 0, DiskSpecs.empty("root", "raw", "1Mi"));

    preparer.deleteGuestStorage(GUEST);
    preparer.deleteGuestStorage(GUEST);

    assertFalse(Files.exists(disks.getParent()));
    assertEquals("base", Files.readString(base));
    assertTrue(Files.exists(kept.path()), "other guests keep their disks");
  }

  private static List<String> list(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
