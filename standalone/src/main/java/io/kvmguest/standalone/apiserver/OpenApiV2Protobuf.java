package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Encodes the swagger document as the gnostic openapi_v2.Document protobuf kubectl requests from /openapi/v2
 * (client-go accepts nothing else there). Only the parts kubectl reads are encoded: info, definitions and their
 * schemas with x-kubernetes-* extensions (whose values travel as YAML; JSON is valid YAML).
 */
final class OpenApiV2Protobuf {
  static final String CONTENT_TYPE = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private OpenApiV2Protobuf() {
  }

  static byte[] encode(JsonNode swagger) {
    ProtoWriter document = new ProtoWriter().string(1, swagger.path("swagger").asText("2.0"));
    JsonNode info = swagger.path("info");
    document.message(2, new ProtoWriter().string(1, info.path("title").asText())
        .string(2, info.path("version").asText()).toByteArray());
    document.message(8, new byte[0]);
    ProtoWriter definitions = new ProtoWriter();
    swagger.path("definitions").properties().forEach(e -> definitions.message(1, named(e.getKey(), e.getValue())));
    document.message(9, definitions.toByteArray());
    return document.toByteArray();
  }

  private static byte[] named(String name, JsonNode schema) {
    return new ProtoWriter().string(1, name).message(2, schema(schema)).toByteArray();
  }

  private static byte[] schema(JsonNode s) {
    ProtoWriter w = new ProtoWriter();
    if (s.has("$ref")) {
      w.string(1, s.get("$ref").asText());
    }
    if (s.has("format")) {
      w.string(2, s.get("format").asText());
    }
    if (s.has("description")) {
      w.string(4, s.get("description").asText());
    }
    s.path("required").forEach(r -> w.string(19, r.asText()));
    s.path("enum").forEach(v -> w.message(20, any(v)));
    JsonNode additional = s.path("additionalProperties");
    if (additional.isObject()) {
      w.message(21, new ProtoWriter().message(1, schema(additional)).toByteArray());
    } else if (additional.isBoolean()) {
      w.message(21, new ProtoWriter().bool(2, additional.asBoolean()).toByteArray());
    }
    if (s.has("type")) {
      w.message(22, new ProtoWriter().string(1, s.get("type").asText()).toByteArray());
    }
    if (s.path("items").isObject()) {
      w.message(23, new ProtoWriter().message(1, schema(s.get("items"))).toByteArray());
    }
    if (s.path("properties").isObject()) {
      ProtoWriter properties = new ProtoWriter();
      s.get("properties").properties().forEach(e -> properties.message(1, named(e.getKey(), e.getValue())));
      w.message(25, properties.toByteArray());
    }
    s.properties().forEach(e -> {
      if (e.getKey().startsWith("x-")) {
        w.message(31, new ProtoWriter().string(1, e.getKey()).message(2, any(e.getValue())).toByteArray());
      }
    });
    return w.toByteArray();
  }

  /** openapi_v2.Any with its yaml field set. */
  private static byte[] any(JsonNode value) {
    return new ProtoWriter().string(2, value.toString()).toByteArray();
  }
}
