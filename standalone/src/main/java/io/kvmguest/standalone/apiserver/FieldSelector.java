package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field selector such as {@code involvedObject.name=demo,involvedObject.kind=VirtualGuest} or
 * {@code metadata.name!=x}. Any dotted field of the object may be used (a real API server allows a few per kind);
 * a missing field compares as "".
 */
final class FieldSelector {
  private record Requirement(String[] path, String value, boolean equal) {
  }

  private final List<Requirement> requirements;

  private FieldSelector(List<Requirement> requirements) {
    this.requirements = requirements;
  }

  static FieldSelector parse(String selector) {
    List<Requirement> requirements = new ArrayList<>();
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      int ne = t.indexOf("!=");
      int eq = t.indexOf('=');
      if (ne >= 0) {
        requirements.add(new Requirement(t.substring(0, ne).trim().split("\\."), t.substring(ne + 2).trim(), false));
      } else if (eq >= 0) {
        String value = t.substring(t.startsWith("=", eq + 1) ? eq + 2 : eq + 1).trim();
        requirements.add(new Requirement(t.substring(0, eq).trim().split("\\."), value, true));
      } else {
        throw new IllegalArgumentException("invalid field selector term '" + t + "': expected field=value, "
            + "field==value or field!=value");
      }
    }
    return new FieldSelector(requirements);
  }

  boolean matches(JsonNode object) {
    for (Requirement r : requirements) {
      JsonNode node = object;
      for (String step : r.path()) {
        node = node.path(step);
      }
      String actual = node.isValueNode() ? node.asText() : "";
      if (actual.equals(r.value()) != r.equal()) {
        return false;
      }
    }
    return true;
  }
}
