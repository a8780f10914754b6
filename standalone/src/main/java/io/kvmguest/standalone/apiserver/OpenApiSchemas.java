package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The schema of a custom resource as the API server publishes it: the CRD's openAPIV3Schema plus apiVersion, kind
 * and a reference to ObjectMeta, tagged with x-kubernetes-group-version-kind (which is how kubectl finds it).
 */
final class OpenApiSchemas {
  static final String OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenApiSchemas() {
  }

  /** The definition name the API server uses, e.g. io.kvmguest.v1alpha1.VirtualGuest. */
  static String definitionName(ApiResource r) {
    String[] parts = r.group().split("\\.");
    StringBuilder reversed = new StringBuilder();
    for (int i = parts.length - 1; i >= 0; i--) {
      reversed.append(parts[i]).append('.');
    }
    return reversed + r.version() + "." + r.kind();
  }

  static ObjectNode gvk(ApiResource r) {
    return JSON.createObjectNode().put("group", r.group()).put("kind", r.kind()).put("version", r.version());
  }

  /** The published schema of a CRD version; metadataRef is where ObjectMeta lives in the document. */
  static ObjectNode resourceSchema(ServedCrd crd, String metadataRef) {
    ObjectNode schema = crd.schema().isObject() ? crd.schema().deepCopy() : JSON.createObjectNode().put("type", "object");
    ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
    ObjectNode withMeta = JSON.createObjectNode();
    withMeta.putObject("apiVersion").put("type", "string").put("description", "APIVersion defines the versioned "
        + "schema of this representation of an object. Servers should convert recognized schemas to the latest "
        + "internal value, and may reject unrecognized values.");
    withMeta.putObject("kind").put("type", "string").put("description", "Kind is a string value representing the "
        + "REST resource this object represents. In CamelCase. Cannot be updated.");
    ObjectNode metadata = withMeta.putObject("metadata");
    metadata.put("description", "Standard object's metadata.");
    metadata.putArray("allOf").addObject().put("$ref", metadataRef);
    withMeta.setAll(properties);
    schema.set("properties", withMeta);
    if (!schema.has("description")) {
      schema.put("description", crd.resource().kind() + " is the Schema for the " + crd.resource().plural() + " API");
    }
    schema.putArray("x-kubernetes-group-version-kind").add(gvk(crd.resource()));
    return schema;
  }

  static ObjectNode objectMeta() {
    try (InputStream in = OpenApiSchemas.class.getResourceAsStream("object-meta.schema.json")) {
      if (in == null) {
        throw new IllegalStateException("object-meta.schema.json missing from the classpath");
      }
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode stringNode(String s) {
    return JSON.getNodeFactory().textNode(s);
  }
}
