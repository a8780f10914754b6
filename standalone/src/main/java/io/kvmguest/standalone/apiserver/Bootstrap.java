package io.kvmguest.standalone.apiserver;

import io.fabric8.kubernetes.api.model.Namespace;
import io.kvmguest.api.kube.ClusterContract;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fresh cluster has before anyone uses it: the default, kube-system and kube-node-lease namespaces, the installed
 * VirtualGuest CRD (Established, as the API server reports it), and Nodes registered by name.
 */
final class Bootstrap {
  private final KubernetesClient client;

  Bootstrap(KubernetesClient client) {
    this.client = client;
  }

  void run() {
    for (String name : List.of("default", "kube-system", ClusterContract.LEASE_NAMESPACE)) {
      if (client.namespaces().withName(name).get() == null) {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
            .withNewStatus().withPhase("Active").endStatus().build();
        client.namespaces().resource(ns).create();
      }
    }
    installCrd(CrdResource.virtualGuests());
  }

  /** Creates the CRD, or replaces its spec when the build brought a different one. */
  void installCrd(CustomResourceDefinition crd) {
    String now = now();
    crd.setStatus(new CustomResourceDefinitionStatusBuilder()
        .withNewAcceptedNamesLike(crd.getSpec().getNames()).endAcceptedNames()
        .withStoredVersions(crd.getSpec().getVersions().stream().filter(v -> Boolean.TRUE.equals(v.getStorage()))
            .map(v -> v.getName()).toList())
        .withConditions(
            new CustomResourceDefinitionConditionBuilder().withType("NamesAccepted").withStatus("True")
                .withReason("NoConflicts").withMessage("no conflicts found").withLastTransitionTime(now).build(),
            new CustomResourceDefinitionConditionBuilder().withType("Established").withStatus("True")
                .withReason("InitialNamesAccepted").withMessage("the initial names have been accepted")
                .withLastTransitionTime(now).build())
        .build());
    CustomResourceDefinition existing = client.apiextensions().v1().customResourceDefinitions()
        .withName(crd.getMetadata().getName()).get();
    if (existing == null) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } else if (!Objects.equals(existing.getSpec(), crd.getSpec())) {
      crd.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.apiextensions().v1().customResourceDefinitions().resource(crd).update();
    }
  }

  /** Registers (or relabels) a Ready node; standard labels kubernetes.io/hostname and kubernetes.io/os are added. */
  void registerNode(String name, Map<String, String> labels) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("kubernetes.io/hostname", name);
    all.put("kubernetes.io/os", "linux");
    all.putAll(labels);
    Node existing = client.nodes().withName(name).get();
    if (existing != null) {
      client.nodes().withName(name).edit(n -> new NodeBuilder(n).editMetadata().addToLabels(all).endMetadata().build());
      return;
    }
    String now = now();
    Node node = new NodeBuilder().withNewMetadata().withName(name).withLabels(all).endMetadata()
        .withNewStatus()
        .addNewCondition().withType("Ready").withStatus("True").withReason("KvmguestStandalone")
        .withMessage("registered by the kvmguest standalone API server").withLastHeartbeatTime(now)
        .withLastTransitionTime(now).endCondition()
        .withNewNodeInfo().withOperatingSystem("linux").withArchitecture(System.getProperty("os.arch"))
        .withKernelVersion(System.getProperty("os.version"))
        .withKubeletVersion("v" + Discovery.MAJOR + "." + Discovery.MINOR + ".0-kvmguest-standalone").endNodeInfo()
        .endStatus().build();
    client.nodes().resource(node).create();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
