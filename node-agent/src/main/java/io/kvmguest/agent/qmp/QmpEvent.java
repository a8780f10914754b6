package io.kvmguest.agent.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;

/** An asynchronous QMP event, e.g. {@code SHUTDOWN} with data {@code {"guest":true,"reason":"guest-shutdown"}}. */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {
  /** The guest or qemu shut down; without {@code -no-shutdown} qemu then exits. */
  public static final String SHUTDOWN = "SHUTDOWN";
  /** An ACPI power-button press was sent to the guest (system_powerdown). */
  public static final String POWERDOWN = "POWERDOWN";
  public static final String STOP = "STOP";
  public static final String RESUME = "RESUME";
  public static final String RESET = "RESET";

  /** Reads qemu's wire form: {@code {"event":..., "data":..., "timestamp":{"seconds":..,"microseconds":..}}}. */
  static QmpEvent fromWire(JsonNode message) {
    JsonNode data = message.has("data") ? message.get("data") : JsonNodeFactory.instance.objectNode();
    JsonNode time = message.path("timestamp");
    Instant timestamp = Instant.ofEpochSecond(time.path("seconds").asLong(), time.path("microseconds").asLong() * 1000);
    return new QmpEvent(message.path("event").asText(), data, timestamp);
  }
}
