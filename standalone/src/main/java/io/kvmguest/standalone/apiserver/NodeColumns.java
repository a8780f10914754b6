package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The columns a real API server prints for Nodes (Kubernetes' printNode): NAME STATUS ROLES AGE VERSION, and with
 * -o wide INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME. Like the real server it always
 * sends the wide cells; kubectl hides priority-1 columns unless asked.
 */
final class NodeColumns {
  private static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";
  private static final String LEGACY_ROLE_LABEL = "kubernetes.io/role";

  static final List<TableColumn> ALL = List.of(
      Tables.NAME,
      TableColumn.text("Status", 0, "The status of the node", NodeColumns::status),
      TableColumn.text("Roles", 0, "The roles of the node", NodeColumns::roles),
      Tables.AGE,
      TableColumn.text("Version", 0, "Kubelet Version reported by the node.",
          n -> n.path("status").path("nodeInfo").path("kubeletVersion").asText("")),
      TableColumn.text("Internal-IP", 1, "List of addresses reachable to the node.", n -> address(n, "InternalIP")),
      TableColumn.text("External-IP", 1, "List of addresses reachable to the node.", n -> address(n, "ExternalIP")),
      TableColumn.text("OS-Image", 1, "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 "
          + "(wheezy)).", n -> info(n, "osImage")),
      TableColumn.text("Kernel-Version", 1, "Kernel Version reported by the node from 'uname -r' (e.g. "
          + "3.16.0-0.bpo.4-amd64).", n -> info(n, "kernelVersion")),
      TableColumn.text("Container-Runtime", 1, "ContainerRuntime Version reported by the node through runtime "
          + "remote API (e.g. containerd://1.4.2).", n -> info(n, "containerRuntimeVersion")));

  private NodeColumns() {
  }

  /** Ready or NotReady from the Ready condition (Unknown without one), then SchedulingDisabled if cordoned. */
  static String status(JsonNode node) {
    List<String> status = new ArrayList<>();
    for (JsonNode condition : node.path("status").path("conditions")) {
      if (condition.path("type").asText().equals("Ready")) {
        status.add(condition.path("status").asText().equals("True") ? "Ready" : "NotReady");
        break;
      }
    }
    if (status.isEmpty()) {
      status.add("Unknown");
    }
    if (node.path("spec").path("unschedulable").asBoolean(false)) {
      status.add("SchedulingDisabled");
    }
    return String.join(",", status);
  }

  /** Roles from node-role.kubernetes.io/ROLE labels and the legacy kubernetes.io/role=ROLE, sorted; else none. */
  static String roles(JsonNode node) {
    TreeSet<String> roles = new TreeSet<>();
    for (Map.Entry<String, JsonNode> label : node.path("metadata").path("labels").properties()) {
      String key = label.getKey();
      if (key.startsWith(ROLE_LABEL_PREFIX) && key.length() > ROLE_LABEL_PREFIX.length()) {
        roles.add(key.substring(ROLE_LABEL_PREFIX.length()));
      } else if (key.equals(LEGACY_ROLE_LABEL) && !label.getValue().asText().isEmpty()) {
        roles.add(label.getValue().asText());
      }
    }
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode node, String type) {
    for (JsonNode address : node.path("status").path("addresses")) {
      if (address.path("type").asText().equals(type)) {
        return address.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String info(JsonNode node, String field) {
    String value = node.path("status").path("nodeInfo").path(field).asText("");
    return value.isEmpty() ? "<unknown>" : value;
  }
}
