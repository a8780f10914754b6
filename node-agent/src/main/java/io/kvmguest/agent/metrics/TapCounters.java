package io.kvmguest.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A NIC's counters from the GUEST's point of view, read from its host tap: what the tap transmits
 * the guest receives, and the other way round. Pure.
 */
public record TapCounters(
    long receiveBytes, long transmitBytes, long receivePackets, long transmitPackets,
    long receiveErrors, long transmitErrors, long receiveDropped, long transmitDropped) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Link name → counters, from {@code ip -s -j link show} (its {@code stats64}); links without
   * statistics are left out.
   *
   * @throws IllegalArgumentException when the text is not such JSON
   */
  public static Map<String, TapCounters> parse(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("not the JSON of ip -s -j link: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("ip -s -j link did not print a JSON array");
    }
    Map<String, TapCounters> links = new LinkedHashMap<>();
    for (JsonNode link : root) {
      JsonNode stats = link.has("stats64") ? link.path("stats64") : link.path("stats");
      String name = link.path("ifname").asText("");
      if (name.isEmpty() || stats.isMissingNode()) {
        continue;
      }
      JsonNode tapRx = stats.path("rx");
      JsonNode tapTx = stats.path("tx");
      links.put(name, new TapCounters(
          tapTx.path("bytes").asLong(), tapRx.path("bytes").asLong(),
          tapTx.path("packets").asLong(), tapRx.path("packets").asLong(),
          tapTx.path("errors").asLong(), tapRx.path("errors").asLong(),
          tapTx.path("dropped").asLong(), tapRx.path("dropped").asLong()));
    }
    return links;
  }
}
