package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** Fills in the {@code default}s of a structural schema, as the API server does when custom resources are written. */
final class SchemaDefaults {
  private SchemaDefaults() {
  }

  static void apply(JsonNode schema, JsonNode value) {
    if (value == null || schema == null) {
      return;
    }
    if (value.isObject()) {
      ObjectNode object = (ObjectNode) value;
      for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
        JsonNode current = object.get(property.getKey());
        if ((current == null || current.isNull()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
        apply(property.getValue(), object.get(property.getKey()));
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.properties().forEach(e -> apply(additional, e.getValue()));
      }
    } else if (value.isArray() && schema.has("items")) {
      value.forEach(element -> apply(schema.get("items"), element));
    }
  }
}
