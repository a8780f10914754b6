package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PATCH bodies applied to the stored object, with the API server's semantics: JSON patch (RFC 6902, a failed
 * {@code test} op is an error), JSON merge patch (RFC 7386: null deletes, lists are replaced) and strategic merge
 * patch approximated as merge patch plus the primitive-list directives kubectl sends. Server-side apply is refused.
 */
final class Patches {
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SET_ORDER = "$setElementOrder/";
  private static final String DELETE_FROM = "$deleteFromPrimitiveList/";

  private Patches() {
  }

  static JsonNode apply(String contentType, JsonNode current, String body) throws ApiException {
    String type = contentType.split(";")[0].trim();
    switch (type) {
      case JSON_PATCH -> {
        try {
          return JsonPatch.apply(parse(body), current);
        } catch (RuntimeException e) {
          throw new ApiException(ApiErrors.invalid("the JSON patch could not be applied: " + e.getMessage()),
              e.getMessage());
        }
      }
      case MERGE_PATCH -> {
        return merge(current, parse(body));
      }
      case STRATEGIC_MERGE_PATCH -> {
        return strategicMerge(current, parse(body));
      }
      case APPLY_PATCH -> throw unsupported("server-side apply is not supported by the embedded API server; "
          + "use client-side `kubectl apply` (the default)");
      default -> throw unsupported("unsupported patch type " + contentType + "; use one of " + JSON_PATCH + ", "
          + MERGE_PATCH + ", " + STRATEGIC_MERGE_PATCH);
    }
  }

  /** RFC 7386 JSON merge patch. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? target.deepCopy() : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  private static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    if ("delete".equals(patch.path("$patch").asText())) {
      return null;
    }
    ObjectNode result = target != null && target.isObject() ? target.deepCopy() : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String key = e.getKey();
      if (key.startsWith(SET_ORDER) && isPrimitiveList(e.getValue())) {
        // For primitive lists kubectl sends the whole final order here.
        result.set(key.substring(SET_ORDER.length()), e.getValue().deepCopy());
      } else if (key.startsWith(DELETE_FROM)) {
        removeValues(result, key.substring(DELETE_FROM.length()), e.getValue());
      } else if (key.startsWith("$")) {
        continue;
      } else if (e.getValue().isNull()) {
        result.remove(key);
      } else if (!patch.has(SET_ORDER + key) || !isPrimitiveList(patch.get(SET_ORDER + key))) {
        JsonNode merged = strategicMerge(result.get(key), e.getValue());
        if (merged == null) {
          result.remove(key);
        } else {
          result.set(key, merged);
        }
      }
    }
    return result;
  }

  private static boolean isPrimitiveList(JsonNode node) {
    if (!node.isArray()) {
      return false;
    }
    for (JsonNode n : node) {
      if (!n.isValueNode()) {
        return false;
      }
    }
    return true;
  }

  private static void removeValues(ObjectNode target, String key, JsonNode values) {
    JsonNode list = target.get(key);
    if (list == null || !list.isArray()) {
      return;
    }
    List<JsonNode> kept = new ArrayList<>();
    list.forEach(n -> {
      boolean drop = false;
      for (JsonNode v : values) {
        drop |= v.equals(n);
      }
      if (!drop) {
        kept.add(n);
      }
    });
    ArrayNode replaced = target.putArray(key);
    kept.forEach(replaced::add);
  }

  private static JsonNode parse(String body) throws ApiException {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(ApiErrors.badRequest("the patch body is not valid JSON: " + e.getOriginalMessage()),
          e.getMessage());
    }
  }

  private static ApiException unsupported(String message) {
    return new ApiException(ApiErrors.unsupportedMediaType(message), message);
  }
}
