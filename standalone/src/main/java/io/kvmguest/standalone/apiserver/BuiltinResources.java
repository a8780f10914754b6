package io.kvmguest.standalone.apiserver;

import java.util.List;

/**
 * The built-in kinds the embedded API serves: what kubectl, the operator and the node agent use (namespaces,
 * nodes, secrets for VNC passwords, events, config maps, leases for leader election, CRDs). No pods or workloads:
 * nothing would run them.
 */
final class BuiltinResources {
  static final List<ApiResource> ALL = List.of(
      core("namespaces", "namespace", "Namespace", false, List.of("ns"), true),
      core("nodes", "node", "Node", false, List.of("no"), true),
      core("secrets", "secret", "Secret", true, List.of(), false),
      core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), false),
      core("events", "event", "Event", true, List.of("ev"), false),
      new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
          "CustomResourceDefinition", false, List.of("crd", "crds"), List.of("api-extensions"), true),
      new ApiResource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), List.of(), false),
      new ApiResource("events.k8s.io", "v1", "events", "event", "Event", true, List.of(), List.of(), false));

  private BuiltinResources() {
  }

  private static ApiResource core(String plural, String singular, String kind, boolean namespaced,
      List<String> shortNames, boolean status) {
    return new ApiResource("", "v1", plural, singular, kind, namespaced, shortNames, List.of(), status);
  }
}
