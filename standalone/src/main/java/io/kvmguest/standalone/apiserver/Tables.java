package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders objects as a meta.k8s.io/v1 Table, what {@code kubectl get} asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}. The Name column comes first, then the CRD's
 * additionalPrinterColumns (or the built-in kind's), with cells converted the way the API server does.
 */
final class Tables {
  static final PrinterColumn AGE = new PrinterColumn("Age", "date", "", "Time since the object was created", 0,
      ".metadata.creationTimestamp");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
      + "resources, although some resources may allow a client to request the generation of an appropriate name "
      + "automatically.";

  private Tables() {
  }

  /** Renders a list (its items) or a single object as a Table; includeObject is None, Object or Metadata. */
  static String render(JsonNode listOrObject, List<PrinterColumn> columns, String includeObject, Instant now) {
    ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion",
        listOrObject.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    definitions.addObject().put("name", "Name").put("type", "string").put("format", "name")
        .put("description", NAME_DESCRIPTION).put("priority", 0);
    List<SimpleJsonPath> paths = new ArrayList<>();
    for (PrinterColumn c : columns) {
      definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", c.description()).put("priority", c.priority());
      paths.add(SimpleJsonPath.parse(c.jsonPath()));
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items = listOrObject.has("items") ? listOrObject.get("items") : JSON.createArrayNode().add(listOrObject);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      cells.add(item.path("metadata").path("name").asText());
      for (int i = 0; i < columns.size(); i++) {
        cells.add(cell(columns.get(i).type(), paths.get(i).find(item).orElse(null), now));
      }
      addObject(row, item, includeObject == null ? "Metadata" : includeObject);
    }
    return table.toString();
  }

  private static void addObject(ObjectNode row, JsonNode item, String includeObject) {
    switch (includeObject) {
      case "None" -> {
      }
      case "Object" -> row.set("object", item);
      default -> {
        ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
            .put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", item.path("metadata"));
      }
    }
  }

  private static JsonNode cell(String type, JsonNode value, Instant now) {
    if (value == null) {
      return JSON.nullNode();
    }
    return switch (type) {
      case "integer" -> value.isIntegralNumber() ? value : JSON.nullNode();
      case "number" -> value.isNumber() ? value : JSON.nullNode();
      case "boolean" -> value.isBoolean() ? value : JSON.nullNode();
      case "date" -> value.isTextual() ? JSON.getNodeFactory().textNode(age(value.asText(), now)) : JSON.nullNode();
      default -> JSON.getNodeFactory().textNode(value.isValueNode() ? value.asText() : value.toString());
    };
  }

  private static String age(String timestamp, Instant now) {
    try {
      return HumanDuration.format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
