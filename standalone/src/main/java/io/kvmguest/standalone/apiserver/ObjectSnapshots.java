package io.kvmguest.standalone.apiserver;

import java.util.List;

/** Where the embedded API server keeps its objects between runs. Called with the store's write lock held. */
interface ObjectSnapshots {
  List<StoredObject> loadAll();

  void save(StoredObject object);

  void delete(String path);

  /** The highest resourceVersion ever handed out, so versions stay monotonic across restarts. */
  long resourceVersion();

  void recordResourceVersion(long resourceVersion);
}
