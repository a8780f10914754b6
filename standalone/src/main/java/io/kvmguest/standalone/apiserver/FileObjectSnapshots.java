package io.kvmguest.standalone.apiserver;

import io.kvmguest.agent.host.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * One JSON file per object under DIR/objects/, laid out like its REST path
 * (objects/apis/kvmguest.io/v1alpha1/namespaces/default/virtualguests/demo.json), each written to a temporary file,
 * synced and renamed so a crash leaves the old or the new version, never half of one.
 */
final class FileObjectSnapshots implements ObjectSnapshots {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path objects;
  private final Path resourceVersionFile;

  FileObjectSnapshots(Path dir) {
    this.objects = dir.resolve("objects");
    this.resourceVersionFile = dir.resolve("resource-version");
    try {
      Files.createDirectories(objects);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the API server state directory " + objects, e);
    }
  }

  @Override
  public List<StoredObject> loadAll() {
    List<StoredObject> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(objects)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode envelope = JSON.readTree(file.toFile());
        if (!envelope.hasNonNull("path") || !envelope.path("object").isObject()) {
          throw new IOException("not an object snapshot (expected {path, object}): " + file);
        }
        all.add(new StoredObject(envelope.get("path").asText(), envelope.get("object").toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the API server objects from " + objects, e);
    }
    return all;
  }

  @Override
  public void save(StoredObject object) {
    try {
      ObjectNode envelope = JSON.createObjectNode().put("path", object.path());
      envelope.set("object", JSON.readTree(object.json()));
      writeAtomically(fileOf(object.path()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(envelope));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save " + object.path() + " under " + objects, e);
    }
  }

  @Override
  public void delete(String path) {
    try {
      Files.deleteIfExists(fileOf(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the snapshot of " + path + " under " + objects, e);
    }
  }

  @Override
  public long resourceVersion() {
    try {
      return Files.exists(resourceVersionFile) ? Long.parseLong(Files.readString(resourceVersionFile).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("unreadable resource version counter " + resourceVersionFile, e);
    }
  }

  @Override
  public void recordResourceVersion(long resourceVersion) {
    try {
      writeAtomically(resourceVersionFile, Long.toString(resourceVersion).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + resourceVersionFile, e);
    }
  }

  private Path fileOf(String restPath) {
    String[] segments = Arrays.stream(restPath.split("/")).filter(s -> !s.isEmpty())
        .map(FileObjectSnapshots::segment).toArray(String[]::new);
    if (segments.length == 0) {
      throw new IllegalArgumentException("empty object path");
    }
    segments[segments.length - 1] = segments[segments.length - 1] + ".json";
    return objects.resolve(String.join("/", segments));
  }

  /** A path segment that cannot escape the objects directory. */
  private static String segment(String s) {
    String encoded = URLEncoder.encode(s, StandardCharsets.UTF_8);
    return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
  }

  private static void writeAtomically(Path file, byte[] content) throws IOException {
    AtomicFiles.replace(file, content, AtomicFiles.Access.WORLD_READABLE, AtomicFiles.Durability.SYNCED);
  }
}
