package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowlistTest {
  @TempDir Path tmp;
  private Path images;
  private Path isos;
  private Allowlist allowlist;

  @BeforeEach
  void setUp() throws IOException {
    images = Files.createDirectories(tmp.resolve("images"));
    isos = Files.createDirectories(tmp.resolve("isos"));
    allowlist = allowlist(List.of(images, isos), List.of("/dev/disk/by-id/", "/dev/sdb1"));
  }

  private static Allowlist allowlist(List<Path> imageDirs, List<String> devices) {
    StorageConfig config = StorageConfig.of(Path.of("/var/lib/kvmguest"), imageDirs, devices, Path.of("/var/cache/kvmguest"));
    return new Allowlist(config, new LinuxRealPaths());
  }

  @Test
  void pathsInsideAnAllowedDirectoryAreAccepted() throws IOException {
    Path iso = Files.writeString(isos.resolve("debian.iso"), "iso");

    assertEquals(iso.toRealPath(), allowlist.imagePath("f", iso.toString()));
    assertEquals(images.resolve("sub/later.img"), allowlist.imagePath("f", images + "/sub/./later.img"),
        "a file that does not exist yet is checked by its normalized path");
  }

  @Test
  void pathsOutsideAreRefusedNamingFieldPathAndAllowedDirectories() {
    StorageException e = assertThrows(StorageException.class,
        () -> allowlist.imagePath("spec.cdroms[0].iso.path", "/etc/shadow"));

    assertEquals("spec.cdroms[0].iso.path: \"/etc/shadow\" is outside the allowed image directories ("
        + images + ", " + isos + "); use an image from one of them", e.getMessage());
  }

  @Test
  void dotDotAndSiblingPrefixesDoNotEscape() {
    assertThrows(StorageException.class, () -> allowlist.imagePath("f", images + "/../secret.img"));
    assertThrows(StorageException.class, () -> allowlist.imagePath("f", images + "2/x.img"), "images2 is not images");
    assertThrows(StorageException.class, () -> allowlist.imagePath("f", images.toString()), "the directory itself is no image");
    assertThrows(StorageException.class, () -> allowlist.imagePath("f", "relative/x.img"));
  }

  @Test
  void aLinkPointingOutOfTheAllowedDirectoriesIsRefused() throws IOException {
    Path secret = Files.writeString(tmp.resolve("secret"), "secret");
    Path link = Files.createSymbolicLink(images.resolve("innocent.iso"), secret);
    Path dirLink = Files.createSymbolicLink(images.resolve("etc"), Path.of("/etc"));

    StorageException e = assertThrows(StorageException.class, () -> allowlist.imagePath("spec.cdroms[1].iso.path", link.toString()));
    assertThrows(StorageException.class, () -> allowlist.imagePath("f", dirLink + "/passwd"));
    Files.delete(dirLink);

    assertEquals("spec.cdroms[1].iso.path: \"" + link + "\" is a link to \"" + secret.toRealPath()
        + "\", which is outside the allowed image directories (" + images + ", " + isos + ")", e.getMessage());
  }

  @Test
  void linksBetweenAllowedDirectoriesAndLinkedAllowedDirectoriesAreFine() throws IOException {
    Path iso = Files.writeString(isos.resolve("a.iso"), "iso");
    Path link = Files.createSymbolicLink(images.resolve("a.iso"), iso);
    Path realDir = Files.createDirectories(tmp.resolve("data/images"));
    Path linkedDir = Files.createSymbolicLink(tmp.resolve("linked"), realDir);
    Path inLinked = Files.writeString(realDir.resolve("b.img"), "b");
    Allowlist viaLink = allowlist(List.of(linkedDir), List.of());

    assertEquals(iso.toRealPath(), allowlist.imagePath("f", link.toString()));
    assertEquals(inLinked.toRealPath(), viaLink.imagePath("f", linkedDir + "/b.img"));
  }

  @Test
  void noImageDirectoriesMeansNoPaths() {
    StorageException e = assertThrows(StorageException.class,
        () -> allowlist(List.of(), List.of()).imagePath("spec.disks[0].image.source.path", images + "/x.img"));
    assertEquals("spec.disks[0].image.source.path: \"" + images + "/x.img\" is not allowed: this node allows no image"
        + " directories (the node agent's imageDirs list is empty)", e.getMessage());
  }

  @Test
  void blockDevicesMatchExactEntriesOrPrefixes() {
    assertEquals(Path.of("/dev/sdb1"), allowlist.blockDevice("f", "/dev/sdb1", "ns1"));
    assertEquals(Path.of("/dev/disk/by-id/ata-X_123"), allowlist.blockDevice("f", "/dev/disk/by-id/ata-X_123", "ns1"));

    StorageException e = assertThrows(StorageException.class,
        () -> allowlist.blockDevice("spec.disks[2].blockDevice.path", "/dev/sda", "ns1"));
    assertEquals("spec.disks[2].blockDevice.path: \"/dev/sda\" is not an allowed block device; this node allows"
        + " /dev/disk/by-id/*, /dev/sdb1", e.getMessage());
    assertThrows(StorageException.class, () -> allowlist.blockDevice("f", "/dev/sdb10", "ns1"));
    assertThrows(StorageException.class, () -> allowlist.blockDevice("f", "/dev/disk/by-id/", "ns1"));
    assertThrows(StorageException.class, () -> allowlist.blockDevice("f", "/dev/disk/by-id/../../sda", "ns1"));
  }

  @Test
  void noBlockDevicesMeansNone() {
    StorageException e = assertThrows(StorageException.class,
        () -> allowlist(List.of(images), List.of()).blockDevice("spec.disks[0].blockDevice.path", "/dev/sdb", "ns1"));
    assertEquals("spec.disks[0].blockDevice.path: \"/dev/sdb\" is not allowed: this node allows no block devices"
        + " (the node agent's blockDevices list is empty)", e.getMessage());
  }

  @Test
  void anEntryWithNamespacesGrantsTheDeviceToThoseNamespacesOnly() {
    Allowlist limited = allowlist(List.of(images), List.of("/dev/vg0/lv1=tenant-a,tenant-b", "/dev/vg1/=tenant-c", "/dev/shared"));

    assertEquals(Path.of("/dev/vg0/lv1"), limited.blockDevice("f", "/dev/vg0/lv1", "tenant-a"));
    assertEquals(Path.of("/dev/vg0/lv1"), limited.blockDevice("f", "/dev/vg0/lv1", "tenant-b"));
    assertEquals(Path.of("/dev/vg1/data"), limited.blockDevice("f", "/dev/vg1/data", "tenant-c"));
    assertEquals(Path.of("/dev/shared"), limited.blockDevice("f", "/dev/shared", "anyone"), "no namespaces: every namespace");

    StorageException e = assertThrows(StorageException.class,
        () -> limited.blockDevice("spec.disks[1].blockDevice.path", "/dev/vg0/lv1", "tenant-c"));
    assertEquals("spec.disks[1].blockDevice.path: \"/dev/vg0/lv1\" is reserved for other namespaces than tenant-c; this node allows"
        + " /dev/vg1/* (tenant-c), /dev/shared", e.getMessage());
    StorageException other = assertThrows(StorageException.class, () -> limited.blockDevice("f", "/dev/sdz", "tenant-a"));
    assertEquals("f: \"/dev/sdz\" is not an allowed block device; this node allows /dev/vg0/lv1 (tenant-a, tenant-b), /dev/shared",
        other.getMessage(), "devices reserved for other namespaces are not named");
  }

  @Test
  void badEntriesNameTheSettingAndTheSyntax() {
    var relative = assertThrows(IllegalArgumentException.class, () -> DeviceGrant.parse("--allowed-device", "dev/sdb=a"));
    assertEquals("--allowed-device entry \"dev/sdb=a\": the device path must be absolute; allowed: PATH or"
        + " PATH=NAMESPACE[,NAMESPACE...]", relative.getMessage());
    var badNamespace = assertThrows(IllegalArgumentException.class, () -> DeviceGrant.parse("--allowed-device", "/dev/sdb=a,Tenant_B"));
    assertEquals("--allowed-device entry \"/dev/sdb=a,Tenant_B\": \"Tenant_B\" is not a namespace name (lower-case letters, digits"
        + " and '-', 1 to 63); allowed: PATH or PATH=NAMESPACE[,NAMESPACE...]", badNamespace.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DeviceGrant.parse("--allowed-device", "/dev/sdb="), "an empty list is a mistake");
    assertThrows(IllegalArgumentException.class,
        () -> StorageConfig.of(Path.of("/s"), List.of(), List.of("/dev/sdb=a,,b"), Path.of("/c")));
  }
}
