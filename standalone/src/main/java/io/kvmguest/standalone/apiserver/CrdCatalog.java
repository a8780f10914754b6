package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The custom resources currently defined: read from the CRD objects in the store on every call. */
final class CrdCatalog {
  static final String CRD_COLLECTION = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  private final Supplier<List<JsonNode>> crdObjects;

  CrdCatalog(Supplier<List<JsonNode>> crdObjects) {
    this.crdObjects = crdObjects;
  }

  List<ServedCrd> served() {
    List<ServedCrd> all = new ArrayList<>();
    crdObjects.get().forEach(crd -> all.addAll(ServedCrd.of(crd)));
    return all;
  }

  Optional<ServedCrd> find(String group, String version, String plural) {
    return served().stream().filter(c -> c.resource().group().equals(group)
        && c.resource().version().equals(version) && c.resource().plural().equals(plural)).findFirst();
  }

  /** Built-in resources followed by the custom ones, as discovery lists them. */
  List<ApiResource> allResources() {
    List<ApiResource> all = new ArrayList<>(BuiltinResources.ALL);
    served().forEach(c -> all.add(c.resource()));
    return all;
  }
}
