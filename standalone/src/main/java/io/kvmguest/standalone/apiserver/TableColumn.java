package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.function.Function;

/**
 * One column of a server-side Table: its definition as the Table announces it, and how a row's cell is computed
 * from the object. CRD columns read a JSONPath ({@link PrinterColumn}); built-in kinds compute cells the way the
 * API server's printers do ({@link BuiltinColumns}). Priority 0 columns are shown by kubectl get, the others only
 * with -o wide.
 */
record TableColumn(String name, String type, String format, String description, int priority, Cell cell) {

  /** A string column whose cell needs only the object (what most built-in printers' columns are). */
  static TableColumn text(String name, int priority, String description, Function<JsonNode, String> value) {
    return new TableColumn(name, "string", "", description, priority, (object, now) -> Tables.text(value.apply(object)));
  }

  /** The cell of this column for one object; now is for ages. Null (a JSON null) when there is nothing to show. */
  interface Cell {
    JsonNode of(JsonNode object, Instant now);
  }
}
