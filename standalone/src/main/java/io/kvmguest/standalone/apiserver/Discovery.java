package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Legacy (unaggregated) discovery documents: /version, /api, /api/v1, /apis and /apis/GROUP/VERSION. kubectl asks
 * for aggregated discovery first and falls back to these when the answer is plain application/json.
 */
final class Discovery {
  /** The Kubernetes API version this server imitates; close to current kubectl so it warns about no skew. */
  static final String MAJOR = "1";
  static final String MINOR = "32";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  private Discovery() {
  }

  static String version() {
    ObjectNode v = JSON.createObjectNode();
    v.put("major", MAJOR).put("minor", MINOR).put("gitVersion", "v" + MAJOR + "." + MINOR + ".0-kvmguest-standalone")
        .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "1970-01-01T00:00:00Z")
        .put("goVersion", "").put("compiler", "").put("platform", "linux/amd64");
    return v.toString();
  }

  static String coreVersions(String serverAddress) {
    ObjectNode doc = JSON.createObjectNode().put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    doc.putArray("serverAddressByClientCIDRs").addObject()
        .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return doc.toString();
  }

  static String groups(List<ApiResource> resources) {
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    for (ApiResource r : resources) {
      if (!r.group().isEmpty()) {
        List<String> versions = versionsByGroup.computeIfAbsent(r.group(), g -> new java.util.ArrayList<>());
        if (!versions.contains(r.version())) {
          versions.add(r.version());
        }
      }
    }
    ObjectNode doc = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    versionsByGroup.forEach((group, versions) -> {
      ObjectNode g = groups.addObject().put("name", group);
      ArrayNode list = g.putArray("versions");
      versions.forEach(v -> list.addObject().put("groupVersion", group + "/" + v).put("version", v));
      g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0))
          .put("version", versions.get(0));
    });
    return doc.toString();
  }

  /** The APIResourceList of one group version, or empty when nothing is served there. */
  static Optional<String> resources(String groupVersion, List<ApiResource> resources) {
    List<ApiResource> served = resources.stream().filter(r -> r.groupVersion().equals(groupVersion)).toList();
    if (served.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", groupVersion);
    ArrayNode list = doc.putArray("resources");
    for (ApiResource r : served) {
      ObjectNode entry = list.addObject().put("name", r.plural()).put("singularName", r.singular())
          .put("namespaced", r.namespaced()).put("kind", r.kind());
      VERBS.forEach(entry.putArray("verbs")::add);
      if (!r.shortNames().isEmpty()) {
        r.shortNames().forEach(entry.putArray("shortNames")::add);
      }
      if (!r.categories().isEmpty()) {
        r.categories().forEach(entry.putArray("categories")::add);
      }
      if (r.statusSubresource()) {
        ObjectNode status = list.addObject().put("name", r.plural() + "/status").put("singularName", "")
            .put("namespaced", r.namespaced()).put("kind", r.kind());
        STATUS_VERBS.forEach(status.putArray("verbs")::add);
      }
    }
    return Optional.of(doc.toString());
  }
}
