package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The simple JSONPaths CRD printer columns allow: {@code .status.phase}, {@code .status.interfaces[0].ipAddress},
 * {@code .metadata.labels['kvmguest.io/node']}. No filters or wildcards (the real API server rejects those in CRDs).
 */
final class SimpleJsonPath {
  private final List<Object> steps;

  private SimpleJsonPath(List<Object> steps) {
    this.steps = steps;
  }

  static SimpleJsonPath parse(String expression) {
    String e = expression.trim();
    if (e.startsWith("{") && e.endsWith("}")) {
      e = e.substring(1, e.length() - 1);
    }
    List<Object> steps = new ArrayList<>();
    int i = 0;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < e.length() && e.charAt(end) != '.' && e.charAt(end) != '[') {
          end++;
        }
        if (end > i + 1) {
          steps.add(e.substring(i + 1, end));
        }
        i = end;
      } else if (c == '[') {
        int close = e.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("unclosed [ in JSONPath " + expression);
        }
        String inside = e.substring(i + 1, close).trim();
        if (inside.startsWith("'") || inside.startsWith("\"")) {
          steps.add(inside.substring(1, inside.length() - 1));
        } else {
          steps.add(Integer.parseInt(inside));
        }
        i = close + 1;
      } else {
        throw new IllegalArgumentException("unsupported JSONPath " + expression + ": only .field, [index] and "
            + "['key'] steps are allowed");
      }
    }
    return new SimpleJsonPath(steps);
  }

  /** The value at this path, or empty when any step is missing or null. */
  Optional<JsonNode> find(JsonNode root) {
    JsonNode node = root;
    for (Object step : steps) {
      node = step instanceof Integer index ? node.path(index) : node.path((String) step);
      if (node.isMissingNode() || node.isNull()) {
        return Optional.empty();
      }
    }
    return Optional.of(node);
  }
}
