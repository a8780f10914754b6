package io.kvmguest.standalone.apiserver;

/** A CRD additionalPrinterColumn: a table column whose cells come from a simple JSONPath over the object. */
record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {

  /** The column with cells converted to its type the way the API server does (a date becomes an age). */
  TableColumn toTableColumn() {
    SimpleJsonPath path = SimpleJsonPath.parse(jsonPath);
    return new TableColumn(name, type, format, description, priority,
        (object, now) -> Tables.cell(type, path.find(object).orElse(null), now));
  }
}
