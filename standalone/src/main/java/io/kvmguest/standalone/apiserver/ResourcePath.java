package io.kvmguest.standalone.apiserver;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A REST path to a resource collection, object or subresource:
 * {@code /api/v1[/namespaces/NS]/PLURAL[/NAME[/SUB]]} or {@code /apis/GROUP/VERSION/...}. Group is "" for core.
 */
record ResourcePath(String group, String version, String namespace, String plural, String name, String subresource) {

  static Optional<ResourcePath> parse(String path) {
    List<String> s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    int restAt;
    String group;
    if (s.size() >= 3 && s.get(0).equals("api")) {
      group = "";
      restAt = 2;
    } else if (s.size() >= 4 && s.get(0).equals("apis")) {
      group = s.get(1);
      restAt = 3;
    } else {
      return Optional.empty();
    }
    String version = s.get(restAt - 1);
    List<String> rest = s.subList(restAt, s.size());
    String namespace = null;
    if (rest.size() >= 3 && rest.get(0).equals("namespaces")) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(new ResourcePath(group, version, namespace, rest.get(0),
        rest.size() > 1 ? rest.get(1) : null, rest.size() > 2 ? rest.get(2) : null));
  }

  static ResourcePath collection(String apiVersion, String namespace, String plural) {
    int slash = apiVersion.indexOf('/');
    return slash < 0
        ? new ResourcePath("", apiVersion, namespace, plural, null, null)
        : new ResourcePath(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), namespace, plural, null, null);
  }

  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  String collectionPath() {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
  }

  String objectPath() {
    return collectionPath() + "/" + name;
  }

  ResourcePath withObject(String objectNamespace, String objectName) {
    return new ResourcePath(group, version, objectNamespace, plural, objectName, null);
  }

  boolean isList() {
    return name == null;
  }
}
