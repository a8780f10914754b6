package io.kvmguest.standalone.apiserver;

import java.util.List;
import java.util.Map;

/**
 * The Table columns of the built-in kinds, as a real API server prints them; a kind without its own printer gets
 * NAME and AGE, the API server's default. Keyed by group and plural: core and events.k8s.io Events are stored
 * apart here, and only core ones have the core Event's fields these columns read.
 */
final class BuiltinColumns {
  private static final List<TableColumn> DEFAULT = List.of(Tables.NAME, Tables.AGE);
  private static final Map<String, List<TableColumn>> BY_RESOURCE = Map.of(
      "/namespaces", List.of(Tables.NAME,
          new PrinterColumn("Status", "string", "", "The phase of the namespace", 0, ".status.phase").toTableColumn(),
          Tables.AGE),
      "/nodes", NodeColumns.ALL,
      "/events", EventColumns.ALL);

  private BuiltinColumns() {
  }

  static List<TableColumn> of(ApiResource resource) {
    return BY_RESOURCE.getOrDefault(resource.group() + "/" + resource.plural(), DEFAULT);
  }
}
