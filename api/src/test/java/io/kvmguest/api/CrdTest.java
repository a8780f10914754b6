package io.kvmguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CRD generated in this build: checked-in copy up to date, documented, constrained. */
class CrdTest {
  static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8", "virtualguests.kvmguest.io-v1.yml");
  static final Path CHECKED_IN = Path.of("..", "crds", "virtualguests.kvmguest.io.yaml");

  static JsonNode version;
  static JsonNode spec;

  @BeforeAll
  static void load() throws IOException {
    JsonNode crd = StrictYaml.documents(Files.readString(GENERATED)).get(0);
    version = crd.at("/spec/versions/0");
    spec = version.at("/schema/openAPIV3Schema/properties/spec");
  }

  @Test
  void checkedInCopyMatchesTheBuild() throws IOException {
    assertEquals(Files.readString(GENERATED), Files.readString(CHECKED_IN),
        "crds/ is stale: run `make crds` (copies " + GENERATED + ") and commit the result");
  }

  @Test
  void everyFieldHasADescription() {
    List<String> missing = new ArrayList<>();
    JsonNode root = version.at("/schema/openAPIV3Schema/properties");
    root.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("apiVersion") && !e.getKey().equals("kind") && !e.getKey().equals("metadata")) {
        collectUndocumented(e.getValue(), e.getKey(), missing);
      }
    });
    assertEquals(List.of(), missing, "fields without a description (add @JsonPropertyDescription)");
  }

  private static void collectUndocumented(JsonNode node, String path, List<String> missing) {
    if (node.path("description").asText().isBlank()) {
      missing.add(path);
    }
    JsonNode properties = node.has("items") ? node.get("items").path("properties") : node.path("properties");
    properties.fields().forEachRemaining(e -> collectUndocumented(e.getValue(), path + "." + e.getKey(), missing));
  }

  @Test
  void readmeFieldReferenceListsEveryField() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    List<String> paths = new ArrayList<>();
    for (String top : List.of("spec", "status")) {
      JsonNode node = version.at("/schema/openAPIV3Schema/properties/" + top);
      node.path("properties").fields().forEachRemaining(e -> collectPaths(e.getValue(), top + "." + e.getKey(), paths));
    }
    List<String> missing = paths.stream().filter(p -> !readme.contains("| `" + p + "` |")).toList();
    assertEquals(List.of(), missing, "README field reference is stale: run `make crds`");
  }

  private static void collectPaths(JsonNode node, String path, List<String> out) {
    out.add(path);
    boolean array = node.has("items");
    JsonNode properties = array ? node.get("items").path("properties") : node.path("properties");
    properties.fields().forEachRemaining(e -> collectPaths(e.getValue(), path + (array ? "[]." : ".") + e.getKey(), out));
  }

  @Test
  void namesStatusAndPrinterColumns() throws IOException {
    JsonNode crd = StrictYaml.documents(Files.readString(GENERATED)).get(0);
    assertEquals("kvmguest.io", crd.at("/spec/group").asText());
    assertEquals("Namespaced", crd.at("/spec/scope").asText());
    assertEquals("vg", crd.at("/spec/names/shortNames/0").asText());
    assertEquals("virtualguests", crd.at("/spec/names/plural").asText());
    assertEquals("v1alpha1", version.path("name").asText());
    assertTrue(version.at("/subresources/status").isObject(), "status subresource");
    Map<String, String> columns = new java.util.HashMap<>();
    version.path("additionalPrinterColumns").forEach(c -> columns.put(c.path("name").asText(), c.path("jsonPath").asText()));
    assertEquals(Map.of("Phase", ".status.phase", "Node", ".status.nodeName", "IP", ".status.interfaces[0].ipAddress",
        "Age", ".metadata.creationTimestamp"), columns);
  }

  @Test
  void constraintsTheApiServerEnforces() {
    JsonNode nic = spec.at("/properties/interfaces/items/properties");
    assertEquals(List.of("e1000", "e1000e", "i82559er", "ne2k_pci", "pcnet", "rtl8139", "virtio"), texts(nic.at("/model/enum")));
    assertEquals("virtio", nic.at("/model/default").asText());
    assertTrue(nic.at("/macAddress/pattern").asText().contains("[0-9A-Fa-f]{2}"));
    assertEquals(1, spec.at("/properties/cpus/minimum").asInt());
    assertEquals(255, spec.at("/properties/cpus/maximum").asInt());
    assertEquals(List.of("memory"), texts(spec.path("required")));
    assertEquals(List.of("Always", "Halted", "Manual", "Once", "RerunOnFailure"), texts(spec.at("/properties/runStrategy/enum")));
    JsonNode disk = spec.at("/properties/disks/items");
    assertEquals("has(self.image) != has(self.blockDevice)", disk.at("/x-kubernetes-validations/0/rule").asText());
    assertFalse(disk.at("/properties/image/properties/source/properties/http/required").isEmpty(), "http needs url and sha256");
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).sorted().toList();
  }
}
