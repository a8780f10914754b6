package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * OpenAPI v3 as the API server serves it: /openapi/v3 lists one document per group version, and
 * /openapi/v3/apis/GROUP/VERSION holds its paths and schemas. kubectl explain reads these. Only custom resources
 * are published: kubectl skips validation of kinds it finds no schema for.
 */
final class OpenApiV3 {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA_REF = "#/components/schemas/";

  private OpenApiV3() {
  }

  static String root(List<ServedCrd> crds) {
    ObjectNode paths = JSON.createObjectNode();
    for (String gv : groupVersions(crds)) {
      String doc = groupVersion(gv, crds).orElseThrow();
      paths.putObject("apis/" + gv).put("serverRelativeURL", "/openapi/v3/apis/" + gv + "?hash=" + hash(doc));
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("paths", paths);
    return root.toString();
  }

  /** The document of one group version ("kvmguest.io/v1alpha1"), or empty when no custom resource is there. */
  static Optional<String> groupVersion(String groupVersion, List<ServedCrd> crds) {
    List<ServedCrd> served = crds.stream().filter(c -> c.resource().groupVersion().equals(groupVersion)).toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.createObjectNode().put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v" + Discovery.MAJOR + "." + Discovery.MINOR);
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    schemas.set(OpenApiSchemas.OBJECT_META, OpenApiSchemas.objectMeta());
    for (ServedCrd crd : served) {
      String name = OpenApiSchemas.definitionName(crd.resource());
      schemas.set(name, OpenApiSchemas.resourceSchema(crd, SCHEMA_REF + OpenApiSchemas.OBJECT_META));
      addPaths(paths, crd.resource(), SCHEMA_REF + name);
    }
    return Optional.of(doc.toString());
  }

  private static void addPaths(ObjectNode paths, ApiResource r, String ref) {
    String prefix = "/apis/" + r.groupVersion() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    ObjectNode collection = paths.putObject(prefix);
    collection.set("get", operation(r, "list", ref));
    collection.set("post", operation(r, "post", ref));
    ObjectNode item = paths.putObject(prefix + "/{name}");
    for (String verb : List.of("get", "put", "patch", "delete")) {
      item.set(verb, operation(r, verb, ref));
    }
    if (r.statusSubresource()) {
      ObjectNode status = paths.putObject(prefix + "/{name}/status");
      for (String verb : List.of("get", "put", "patch")) {
        status.set(verb, operation(r, verb, ref));
      }
    }
    if (r.namespaced()) {
      paths.putObject("/apis/" + r.groupVersion() + "/" + r.plural()).set("get", operation(r, "list", ref));
    }
  }

  /** No fieldValidation parameter: kubectl then validates against the schema itself (client-side). */
  private static ObjectNode operation(ApiResource r, String action, String ref) {
    ObjectNode op = JSON.createObjectNode().put("operationId", action + r.kind());
    op.putObject("responses").putObject("200").put("description", "OK").putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", ref);
    op.put("x-kubernetes-action", action);
    op.set("x-kubernetes-group-version-kind", OpenApiSchemas.gvk(r));
    return op;
  }

  private static Set<String> groupVersions(List<ServedCrd> crds) {
    Set<String> gvs = new LinkedHashSet<>();
    crds.forEach(c -> gvs.add(c.resource().groupVersion()));
    return gvs;
  }

  static String hash(String doc) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(doc.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).toUpperCase();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
