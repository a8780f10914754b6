package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Renders objects as a meta.k8s.io/v1 Table, what {@code kubectl get} asks for with
 * {@code Accept: application/json;as=Table;v=v1;g=meta.k8s.io}: the given columns (for CRDs the Name column,
 * then the additionalPrinterColumns; for built-in kinds what the API server prints, see {@link BuiltinColumns}).
 */
final class Tables {
  static final String NAME_DESCRIPTION = "Name must be unique within a namespace. Is required when creating "
      + "resources, although some resources may allow a client to request the generation of an appropriate name "
      + "automatically.";
  static final TableColumn NAME = new TableColumn("Name", "string", "name", NAME_DESCRIPTION, 0,
      (object, now) -> text(object.path("metadata").path("name").asText()));
  static final TableColumn AGE = new PrinterColumn("Age", "date", "", "Time since the object was created", 0,
      ".metadata.creationTimestamp").toTableColumn();
  private static final ObjectMapper JSON = new ObjectMapper();

  private Tables() {
  }

  /** Renders a list (its items) or a single object as a Table; includeObject is None, Object or Metadata. */
  static String render(JsonNode listOrObject, List<TableColumn> columns, String includeObject, Instant now) {
    ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion",
        listOrObject.path("metadata").path("resourceVersion").asText(""));
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (TableColumn c : columns) {
      definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
          .put("description", c.description()).put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    JsonNode items = listOrObject.has("items") ? listOrObject.get("items") : JSON.createArrayNode().add(listOrObject);
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (TableColumn c : columns) {
        JsonNode cell = c.cell().of(item, now);
        cells.add(cell == null ? JSON.nullNode() : cell);
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

  /** A CRD column's cell: the value if it has the column's type, a date as an age, anything else as text. */
  static JsonNode cell(String type, JsonNode value, Instant now) {
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

  static JsonNode text(String value) {
    return JSON.getNodeFactory().textNode(value);
  }

  static JsonNode number(long value) {
    return JSON.getNodeFactory().numberNode(value);
  }

  /** Time since an RFC 3339 timestamp as kubectl prints ages (5m, 2d3h). */
  static String age(String timestamp, Instant now) {
    try {
      return HumanDuration.format(Duration.between(Instant.parse(timestamp), now));
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
  }
}
