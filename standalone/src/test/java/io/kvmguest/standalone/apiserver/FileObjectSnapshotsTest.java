package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileObjectSnapshotsTest {
  @TempDir
  Path dir;

  @Test
  void savesLoadsAndDeletesOneFilePerObject() {
    FileObjectSnapshots snapshots = new FileObjectSnapshots(dir.resolve("apiserver"));
    String path = "/apis/kvmguest.io/v1alpha1/namespaces/default/virtualguests/demo";
    snapshots.save(new StoredObject(path, "{\"metadata\":{\"name\":\"demo\"}}"));
    snapshots.recordResourceVersion(42);
    assertTrue(Files.isRegularFile(dir.resolve("apiserver/objects" + path + ".json")));

    FileObjectSnapshots reopened = new FileObjectSnapshots(dir.resolve("apiserver"));
    assertEquals(List.of(new StoredObject(path, "{\"metadata\":{\"name\":\"demo\"}}")), reopened.loadAll());
    assertEquals(42, reopened.resourceVersion());
    reopened.delete(path);
    assertEquals(List.of(), reopened.loadAll());
  }

  @Test
  void oddNamesStayInsideTheObjectsDirectory() throws IOException {
    FileObjectSnapshots snapshots = new FileObjectSnapshots(dir.resolve("apiserver"));
    snapshots.save(new StoredObject("/api/v1/namespaces/default/configmaps/..", "{}"));
    snapshots.save(new StoredObject("/api/v1/namespaces/default/configmaps/a:b", "{}"));
    try (Stream<Path> files = Files.walk(dir)) {
      assertTrue(files.filter(Files::isRegularFile).allMatch(f -> f.startsWith(dir.resolve("apiserver/objects"))));
    }
    assertEquals(2, snapshots.loadAll().size());
  }
}
