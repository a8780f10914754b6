package io.kvmguest.standalone.apiserver;

/** A CRD additionalPrinterColumn: a table column whose cells come from a simple JSONPath over the object. */
record PrinterColumn(String name, String type, String format, String description, int priority, String jsonPath) {
}
