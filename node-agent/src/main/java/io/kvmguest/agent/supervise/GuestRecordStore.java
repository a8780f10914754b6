package io.kvmguest.agent.supervise;

import io.kvmguest.agent.host.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kvmguest.agent.host.OwnerOnlyFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Guest records as JSON files, one per guest uid, replaced atomically so a crash never leaves half a record. */
public final class GuestRecordStore {
  private static final Logger LOG = LoggerFactory.getLogger(GuestRecordStore.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public GuestRecordStore(Path stateDir) {
    this.dir = stateDir.resolve("records");
  }

  public void save(GuestRecord record) {
    try {
      OwnerOnlyFiles.directories(dir, dir);
      // owner-only: a record holds the guest's argv (paths, MACs, names)
      AtomicFiles.replace(file(record.uid()), JSON.writeValueAsBytes(record), AtomicFiles.Access.OWNER_ONLY, AtomicFiles.Durability.CACHED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write guest record " + file(record.uid()), e);
    }
  }

  public Optional<GuestRecord> load(String uid) {
    Path file = file(uid);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), GuestRecord.class));
    } catch (IOException e) {
      LOG.warn("unreadable guest record {}: {}", file, e.getMessage());
      return Optional.empty();
    }
  }

  /** Every readable record; unreadable ones are logged and left for inspection. */
  public List<GuestRecord> loadAll() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<GuestRecord> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(f -> {
        String uid = f.getFileName().toString().replaceFirst("\\.json$", "");
        load(uid).ifPresent(records::add);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  public void delete(String uid) {
    try {
      Files.deleteIfExists(file(uid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path file(String uid) {
    if (!uid.matches("[A-Za-z0-9-]+")) {
      throw new IllegalArgumentException("guest uid \"" + uid + "\" is not a Kubernetes uid");
    }
    return dir.resolve(uid + ".json");
  }
}
