package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Base64;

/**
 * Decodes the Kubernetes protobuf request bodies kubectl sends for built-in kinds ({@code kubectl create secret,
 * configmap, namespace}): the "k8s\0" envelope around runtime.Unknown, and the fields of Secret, ConfigMap,
 * Namespace and ObjectMeta (field numbers from k8s.io/api core/v1 generated.proto). Server-set metadata is ignored.
 */
final class KubernetesProtobuf {
  static final String CONTENT_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final ObjectMapper JSON = new ObjectMapper();

  private KubernetesProtobuf() {
  }

  static ObjectNode decode(byte[] body) {
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new IllegalArgumentException("not a Kubernetes protobuf body (no k8s\\0 prefix)");
    }
    ProtoReader unknown = new ProtoReader(Arrays.copyOfRange(body, MAGIC.length, body.length));
    ObjectNode object = JSON.createObjectNode();
    byte[] raw = null;
    while (unknown.next()) {
      switch (unknown.field()) {
        case 1 -> {
          ProtoReader typeMeta = unknown.message();
          while (typeMeta.next()) {
            switch (typeMeta.field()) {
              case 1 -> object.put("apiVersion", typeMeta.string());
              case 2 -> object.put("kind", typeMeta.string());
              default -> typeMeta.skip();
            }
          }
        }
        case 2 -> raw = unknown.bytes();
        default -> unknown.skip();
      }
    }
    String kind = object.path("kind").asText();
    if (raw == null || !object.path("apiVersion").asText().equals("v1")) {
      throw new IllegalArgumentException("unsupported protobuf object " + object);
    }
    switch (kind) {
      case "Secret" -> secret(new ProtoReader(raw), object);
      case "ConfigMap" -> configMap(new ProtoReader(raw), object);
      case "Namespace" -> namespace(new ProtoReader(raw), object);
      default -> throw new IllegalArgumentException("protobuf bodies are accepted for Secret, ConfigMap and "
          + "Namespace only, not " + kind + "; send JSON");
    }
    return object;
  }

  private static void secret(ProtoReader r, ObjectNode secret) {
    while (r.next()) {
      switch (r.field()) {
        case 1 -> secret.set("metadata", metadata(r.message()));
        case 2 -> entry(r.message(), child(secret, "data"), true);
        case 3 -> secret.put("type", r.string());
        case 4 -> entry(r.message(), child(secret, "stringData"), false);
        case 5 -> secret.put("immutable", r.varint() != 0);
        default -> r.skip();
      }
    }
  }

  private static void configMap(ProtoReader r, ObjectNode configMap) {
    while (r.next()) {
      switch (r.field()) {
        case 1 -> configMap.set("metadata", metadata(r.message()));
        case 2 -> entry(r.message(), child(configMap, "data"), false);
        case 3 -> entry(r.message(), child(configMap, "binaryData"), true);
        case 4 -> configMap.put("immutable", r.varint() != 0);
        default -> r.skip();
      }
    }
  }

  private static void namespace(ProtoReader r, ObjectNode namespace) {
    while (r.next()) {
      if (r.field() == 1) {
        namespace.set("metadata", metadata(r.message()));
      } else if (r.field() == 2) {
        ProtoReader spec = r.message();
        while (spec.next()) {
          if (spec.field() == 1) {
            child(namespace, "spec").withArray("finalizers").add(spec.string());
          } else {
            spec.skip();
          }
        }
      } else {
        r.skip();
      }
    }
  }

  private static ObjectNode metadata(ProtoReader r) {
    ObjectNode metadata = JSON.createObjectNode();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> putNonEmpty(metadata, "name", r.string());
        case 2 -> putNonEmpty(metadata, "generateName", r.string());
        case 3 -> putNonEmpty(metadata, "namespace", r.string());
        case 6 -> putNonEmpty(metadata, "resourceVersion", r.string());
        case 11 -> entry(r.message(), child(metadata, "labels"), false);
        case 12 -> entry(r.message(), child(metadata, "annotations"), false);
        case 14 -> metadata.withArray("finalizers").add(r.string());
        default -> r.skip();
      }
    }
    return metadata;
  }

  /** Kubernetes protobuf writes empty optional strings; JSON omits them. */
  private static void putNonEmpty(ObjectNode node, String field, String value) {
    if (!value.isEmpty()) {
      node.put(field, value);
    }
  }

  /** One map entry (key = 1, value = 2); bytes values are base64-encoded as in JSON. */
  private static void entry(ProtoReader r, ObjectNode map, boolean bytesValue) {
    String key = "";
    String value = "";
    while (r.next()) {
      switch (r.field()) {
        case 1 -> key = r.string();
        case 2 -> value = bytesValue ? Base64.getEncoder().encodeToString(r.bytes()) : r.string();
        default -> r.skip();
      }
    }
    map.put(key, value);
  }

  private static ObjectNode child(ObjectNode parent, String name) {
    return parent.has(name) ? (ObjectNode) parent.get(name) : parent.putObject(name);
  }
}
