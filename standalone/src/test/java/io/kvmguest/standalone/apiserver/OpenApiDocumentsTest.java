package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Discovery and OpenAPI documents built from the real VirtualGuest CRD. */
class OpenApiDocumentsTest {
  static final JsonNode CRD = crd();
  static final List<ServedCrd> CRDS = ServedCrd.of(CRD);

  static JsonNode crd() {
    try {
      return PatchesTest.JSON.readTree(Serialization.asJson(CrdResource.virtualGuests()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void discoveryListsVirtualGuestsWithShortNameAndStatus() throws Exception {
    List<ApiResource> all = new CrdCatalog(() -> List.of(CRD)).allResources();
    JsonNode list = PatchesTest.JSON.readTree(Discovery.resources("kvmguest.io/v1alpha1", all).orElseThrow());
    assertEquals("virtualguests", list.at("/resources/0/name").asText());
    assertEquals("vg", list.at("/resources/0/shortNames/0").asText());
    assertTrue(list.at("/resources/0/namespaced").asBoolean());
    assertEquals("virtualguests/status", list.at("/resources/1/name").asText());
    assertTrue(Discovery.groups(all).contains("\"kvmguest.io\""));
    assertTrue(Discovery.resources("v1", all).orElseThrow().contains("\"secrets\""));
    assertFalse(Discovery.resources("apps/v1", all).isPresent());
  }

  @Test
  void printerColumnsComeFromTheCrd() {
    assertEquals(List.of("Age", "IP", "Node", "Phase"),
        CRDS.get(0).columns().stream().map(PrinterColumn::name).sorted().toList());
  }

  @Test
  void v3DocumentCarriesTheSchemaTaggedWithItsKind() throws Exception {
    JsonNode doc = PatchesTest.JSON.readTree(OpenApiV3.groupVersion("kvmguest.io/v1alpha1", CRDS).orElseThrow());
    JsonNode schema = doc.at("/components/schemas/io.kvmguest.v1alpha1.VirtualGuest");
    assertEquals("VirtualGuest", schema.at("/x-kubernetes-group-version-kind/0/kind").asText());
    assertTrue(schema.at("/properties/spec/properties/interfaces/items/properties/model/description").asText()
        .startsWith("Emulated NIC"));
    JsonNode patch = doc.at("/paths/~1apis~1kvmguest.io~1v1alpha1~1namespaces~1{namespace}~1virtualguests~1{name}/patch");
    assertFalse(patch.toString().contains("fieldValidation"), "kubectl must validate client-side");
    assertTrue(OpenApiV3.root(CRDS).contains("/openapi/v3/apis/kvmguest.io/v1alpha1?hash="));
  }

  @Test
  void v2DropsWhatItCannotExpress() {
    JsonNode spec = SwaggerV2.document(CRDS).at("/definitions/io.kvmguest.v1alpha1.VirtualGuest/properties/spec");
    assertEquals("integer", spec.at("/properties/cpus/type").asText());
    assertFalse(spec.at("/properties/memory").has("type"), "int-or-string is untyped in v2");
    assertEquals("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        SwaggerV2.document(CRDS).at("/definitions/io.kvmguest.v1alpha1.VirtualGuest/properties/metadata/$ref").asText());
  }

  @Test
  void protobufWireFormat() {
    assertArrayEquals(new byte[] {0x0a, 0x03, '2', '.', '0', 0x10, 0x01},
        new ProtoWriter().string(1, "2.0").bool(2, true).toByteArray());
    byte[] big = new ProtoWriter().string(4, "x".repeat(300)).toByteArray();
    assertArrayEquals(new byte[] {0x22, (byte) 0xac, 0x02}, java.util.Arrays.copyOf(big, 3), "varint length 300");
    String encoded = new String(OpenApiV2Protobuf.encode(SwaggerV2.document(CRDS)), StandardCharsets.ISO_8859_1);
    assertTrue(encoded.contains("io.kvmguest.v1alpha1.VirtualGuest"));
    assertTrue(encoded.contains("x-kubernetes-group-version-kind"));
  }
}
