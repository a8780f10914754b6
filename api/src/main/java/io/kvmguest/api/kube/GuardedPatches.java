package io.kvmguest.api.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.List;

/**
 * JSON patches (RFC 6902) guarded by the resourceVersion that was read. Setting
 * /metadata/resourceVersion to the value read makes the write conditional: the API server answers
 * 409 Conflict when the object changed meanwhile (so does the fabric8 mock server). A {@code test}
 * op would say the same on a real server, but the fabric8 7.5.2 mock fails the connection on a
 * failed test instead of answering. Shared by the operator and the node agent, so both halves
 * write the same way. Pure.
 */
public final class GuardedPatches {
  private static final ObjectMapper JSON = Serialization.jsonMapper();

  private GuardedPatches() {}

  /** Replaces the whole status (for the /status subresource); {@code add} also works when there is none yet. */
  public static String replaceStatus(String resourceVersion, VirtualGuestStatus status) {
    ArrayNode ops = guarded(resourceVersion);
    ops.addObject().put("op", "add").put("path", "/status").set("value", JSON.valueToTree(status));
    return ops.toString();
  }

  /** Replaces metadata.finalizers. */
  public static String replaceFinalizers(String resourceVersion, List<String> finalizers) {
    ArrayNode ops = guarded(resourceVersion);
    ObjectNode op = ops.addObject().put("op", "add").put("path", "/metadata/finalizers");
    ArrayNode list = op.putArray("value");
    finalizers.forEach(list::add);
    return ops.toString();
  }

  /** A patch whose first op makes it conditional on {@code resourceVersion}; add the real ops after it. */
  public static ArrayNode guarded(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isEmpty()) {
      throw new IllegalArgumentException("a guarded patch needs the resourceVersion that was read");
    }
    ArrayNode ops = JSON.createArrayNode();
    ops.addObject().put("op", "replace").put("path", "/metadata/resourceVersion").put("value", resourceVersion);
    return ops;
  }
}
