package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestRefTest {
  private static final String UID = "0b5c9a4e-1111-2222-3333-444455556666";

  @Test
  void eachGuestObjectHasItsOwnDirectory() {
    StorageConfig config = StorageConfig.of(Path.of("/var/lib/kvmguest"), List.of(), List.of(), Path.of("/var/cache/kvmguest"));
    GuestRef guest = new GuestRef("team-a", "web.1", UID);

    assertEquals(Path.of("/var/lib/kvmguest/guests/team-a_web.1_" + UID), config.guestDir(guest));
    assertEquals(Path.of("/var/lib/kvmguest/guests/team-a_web.1_" + UID + "/disks"), config.disksDir(guest));
  }

  @Test
  void longNamesAreCutToAFileNameKeepingTheUid() {
    String name = "a".repeat(253);
    String dir = new GuestRef("ns", name, UID).dirName();

    assertEquals(255, dir.length());
    assertTrue(dir.startsWith("ns_aaa") && dir.endsWith("_" + UID), dir);
  }

  @Test
  void namesThatCouldEscapeTheStateDirectoryAreRefused() {
    for (String bad : List.of("..", "a/b", "a_b", "", "A")) {
      assertThrows(IllegalArgumentException.class, () -> new GuestRef("ns", bad, UID), bad);
      assertThrows(IllegalArgumentException.class, () -> new GuestRef(bad, "vm", UID), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> new GuestRef("ns", "vm", "../x"));
  }

  @Test
  void configDirectoriesMustBeAbsolute() {
    assertThrows(IllegalArgumentException.class,
        () -> StorageConfig.of(Path.of("state"), List.of(), List.of(), Path.of("/cache")));
    assertThrows(IllegalArgumentException.class,
        () -> StorageConfig.of(Path.of("/state"), List.of(Path.of("images")), List.of(), Path.of("/cache")));
    assertThrows(IllegalArgumentException.class,
        () -> StorageConfig.of(Path.of("/state"), List.of(), List.of("sdb"), Path.of("/cache")));
  }
}
