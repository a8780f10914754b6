package io.kvmguest.standalone.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** In-memory snapshots: what the store saved, inspectable, reusable by a second store. */
final class FakeObjectSnapshots implements ObjectSnapshots {
  final Map<String, String> objects = new LinkedHashMap<>();
  long resourceVersion;

  @Override
  public List<StoredObject> loadAll() {
    List<StoredObject> all = new ArrayList<>();
    objects.forEach((path, json) -> all.add(new StoredObject(path, json)));
    return all;
  }

  @Override
  public void save(StoredObject object) {
    objects.put(object.path(), object.json());
  }

  @Override
  public void delete(String path) {
    objects.remove(path);
  }

  @Override
  public long resourceVersion() {
    return resourceVersion;
  }

  @Override
  public void recordResourceVersion(long value) {
    resourceVersion = value;
  }
}
