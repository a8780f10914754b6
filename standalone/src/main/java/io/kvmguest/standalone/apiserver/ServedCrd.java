package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One served version of a CustomResourceDefinition in the store: its discovery entry, columns and schema. */
record ServedCrd(ApiResource resource, String listKind, List<PrinterColumn> columns, JsonNode schema) {

  /** The served versions of a CRD object (apiextensions.k8s.io/v1 JSON). */
  static List<ServedCrd> of(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    List<ServedCrd> served = new ArrayList<>();
    for (JsonNode version : spec.path("versions")) {
      if (!version.path("served").asBoolean(true)) {
        continue;
      }
      ApiResource resource = new ApiResource(spec.path("group").asText(), version.path("name").asText(),
          names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
          names.path("kind").asText(), !"Cluster".equals(spec.path("scope").asText()),
          strings(names.path("shortNames")), strings(names.path("categories")),
          version.path("subresources").has("status"));
      served.add(new ServedCrd(resource, names.path("listKind").asText(resource.kind() + "List"),
          columns(version.path("additionalPrinterColumns")), version.path("schema").path("openAPIV3Schema")));
    }
    return served;
  }

  private static List<PrinterColumn> columns(JsonNode columns) {
    List<PrinterColumn> result = new ArrayList<>();
    for (JsonNode c : columns) {
      result.add(new PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
          c.path("format").asText(""), c.path("description").asText(""), c.path("priority").asInt(0),
          c.path("jsonPath").asText()));
    }
    return result;
  }

  private static List<String> strings(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }
}
