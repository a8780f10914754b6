package io.kvmguest.agent.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvmguest.agent.host.AtomicFiles.Access;
import io.kvmguest.agent.host.AtomicFiles.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir
  Path dir;

  @Test
  void replacesTheContentWithTheModeAskedAndLeavesNothingBeside() throws IOException {
    Path file = dir.resolve("sub/record.json");
    AtomicFiles.replace(file, bytes("old"), Access.OWNER_ONLY, Durability.CACHED);
    AtomicFiles.replace(file, bytes("new"), Access.OWNER_ONLY, Durability.SYNCED);
    assertArrayEquals(bytes("new"), Files.readAllBytes(file));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(List.of(file), list(file.getParent()));

    Path shared = dir.resolve("status.yaml");
    AtomicFiles.replace(shared, bytes("phase: Running"), Access.WORLD_READABLE, Durability.CACHED);
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)));
  }

  @Test
  void aFailedReplaceKeepsTheOldContentAndRemovesItsTemporaryFile() throws IOException {
    Path target = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be replaced by a file
    assertThrows(IOException.class, () -> AtomicFiles.replace(target, bytes("new"), Access.OWNER_ONLY, Durability.CACHED));
    assertEquals(List.of(target), list(dir));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }
}
