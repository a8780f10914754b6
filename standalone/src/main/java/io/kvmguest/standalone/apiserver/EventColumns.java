package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The columns a real API server prints for core v1 Events (Kubernetes' printEvent): LAST SEEN TYPE REASON OBJECT
 * MESSAGE, and with -o wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME. There is no leading Name column: the name
 * is the last, wide-only one. A series (events.k8s.io style repeats) wins over count and lastTimestamp.
 */
final class EventColumns {
  private static final String UNKNOWN = "<unknown>";

  static final List<TableColumn> ALL = List.of(
      new TableColumn("Last Seen", "string", "", "The time at which the most recent occurrence of this event was "
          + "recorded.", 0, (e, now) -> Tables.text(lastSeen(e, now))),
      TableColumn.text("Type", 0, "Type of this event (Normal, Warning), new types could be added in the future",
          e -> e.path("type").asText("")),
      TableColumn.text("Reason", 0, "This should be a short, machine understandable string that gives the reason "
          + "for the transition into the object's current status.", e -> e.path("reason").asText("")),
      TableColumn.text("Object", 0, "The object that this event is about.", EventColumns::object),
      TableColumn.text("Subobject", 1, "If referring to a piece of an object instead of an entire object, this "
          + "string should contain a valid JSON/Go field access statement.",
          e -> e.path("involvedObject").path("fieldPath").asText("")),
      TableColumn.text("Source", 1, "The component reporting this event. Should be a short machine understandable "
          + "string.", EventColumns::source),
      TableColumn.text("Message", 0, "A human-readable description of the status of this operation.",
          e -> e.path("message").asText("").strip()),
      new TableColumn("First Seen", "string", "", "The time at which the event was first recorded. (Time of "
          + "server receipt is in TypeMeta.)", 1, (e, now) -> Tables.text(firstSeen(e, now))),
      new TableColumn("Count", "string", "", "The number of times this event has occurred.", 1,
          (e, now) -> Tables.number(count(e))),
      new TableColumn("Name", "string", "name", Tables.NAME_DESCRIPTION, 1, Tables.NAME.cell()));

  private EventColumns() {
  }

  /** firstTimestamp, or eventTime for events written without one. */
  static String firstSeen(JsonNode event, Instant now) {
    String first = event.path("firstTimestamp").asText("");
    return since(first.isEmpty() ? event.path("eventTime").asText("") : first, now);
  }

  static String lastSeen(JsonNode event, Instant now) {
    JsonNode series = event.path("series");
    if (series.isObject()) {
      return since(series.path("lastObservedTime").asText(""), now);
    }
    String last = event.path("lastTimestamp").asText("");
    return last.isEmpty() ? firstSeen(event, now) : since(last, now);
  }

  /** kind/name in lower-case kind, as kubectl users type it back (virtualguest/demo). */
  static String object(JsonNode event) {
    JsonNode involved = event.path("involvedObject");
    String kind = involved.path("kind").asText("").toLowerCase(Locale.ROOT);
    String name = involved.path("name").asText("");
    return name.isEmpty() ? kind : kind + "/" + name;
  }

  /** component, host; the reporting controller and instance stand in for a missing source. */
  static String source(JsonNode event) {
    String component = firstNonEmpty(event.path("source").path("component").asText(""),
        event.path("reportingComponent").asText(""));
    String host = firstNonEmpty(event.path("source").path("host").asText(""),
        event.path("reportingInstance").asText(""));
    return host.isEmpty() ? component : component + ", " + host;
  }

  /** A singleton event written through the new API has no count: it happened once. */
  static long count(JsonNode event) {
    JsonNode series = event.path("series");
    if (series.isObject()) {
      return series.path("count").asLong(0);
    }
    long count = event.path("count").asLong(0);
    return count == 0 ? 1 : count;
  }

  private static String since(String timestamp, Instant now) {
    return timestamp.isEmpty() ? UNKNOWN : Tables.age(timestamp, now);
  }

  private static String firstNonEmpty(String first, String second) {
    return first.isEmpty() ? second : first;
  }
}
