package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The OpenAPI v2 (swagger) document: definitions of the custom resources, converted from their v3 schemas the
 * lossy way the API server does (int-or-string and anyOf become untyped, validation keywords are dropped).
 * kubectl downloads it for client-side validation before every apply and create.
 */
final class SwaggerV2 {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V3_REF = "#/components/schemas/";
  private static final String V2_REF = "#/definitions/";

  private SwaggerV2() {
  }

  static ObjectNode document(List<ServedCrd> crds) {
    ObjectNode doc = JSON.createObjectNode().put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR);
    doc.putObject("paths");
    ObjectNode definitions = doc.putObject("definitions");
    definitions.set(OpenApiSchemas.OBJECT_META, toV2(OpenApiSchemas.objectMeta()));
    for (ServedCrd crd : crds) {
      definitions.set(OpenApiSchemas.definitionName(crd.resource()),
          toV2(OpenApiSchemas.resourceSchema(crd, V3_REF + OpenApiSchemas.OBJECT_META)));
    }
    return doc;
  }

  static ObjectNode toV2(JsonNode v3) {
    ObjectNode v2 = JSON.createObjectNode();
    if (v3.has("description")) {
      v2.set("description", v3.get("description"));
    }
    if (v3.has("$ref")) {
      return v2.put("$ref", v3.get("$ref").asText().replace(V3_REF, V2_REF));
    }
    JsonNode allOf = v3.path("allOf");
    if (allOf.size() == 1 && allOf.get(0).has("$ref")) {
      return v2.put("$ref", allOf.get(0).get("$ref").asText().replace(V3_REF, V2_REF));
    }
    v3.properties().forEach(e -> {
      if (e.getKey().startsWith("x-kubernetes-group-version-kind")) {
        v2.set(e.getKey(), e.getValue());
      }
    });
    boolean untyped = v3.path("x-kubernetes-int-or-string").asBoolean() || v3.has("anyOf") || v3.has("oneOf");
    if (untyped || !v3.has("type")) {
      return v2;
    }
    v2.set("type", v3.get("type"));
    if (v3.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return v2;
    }
    for (String keep : List.of("format", "required", "enum")) {
      if (v3.has(keep)) {
        v2.set(keep, v3.get(keep));
      }
    }
    if (v3.has("properties")) {
      ObjectNode properties = v2.putObject("properties");
      v3.get("properties").properties().forEach(e -> properties.set(e.getKey(), toV2(e.getValue())));
    }
    if (v3.path("items").isObject()) {
      v2.set("items", toV2(v3.get("items")));
    }
    JsonNode additional = v3.path("additionalProperties");
    if (additional.isObject()) {
      v2.set("additionalProperties", toV2(additional));
    } else if (additional.isBoolean()) {
      v2.set("additionalProperties", additional);
    }
    return v2;
  }
}
