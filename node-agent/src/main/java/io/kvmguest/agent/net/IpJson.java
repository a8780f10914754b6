package io.kvmguest.agent.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the JSON that {@code ip -j} prints. Pure: text in, records out. */
public final class IpJson {
  private final ObjectMapper mapper = new ObjectMapper();

  /** {@code ip -j -d addr show}: links with kind, master, state and IPv4 addresses. */
  public List<Link> links(String json) {
    List<Link> links = new ArrayList<>();
    for (JsonNode node : array(json)) {
      JsonNode info = node.path("linkinfo");
      boolean up = false;
      for (JsonNode flag : node.path("flags")) {
        up |= flag.asText().equals("UP");
      }
      links.add(new Link(
          node.path("ifname").asText(),
          info.path("info_kind").asText(""),
          info.path("info_data").path("type").asText("").equals("tap"),
          text(node, "master"),
          up,
          node.path("operstate").asText(""),
          node.path("address").asText(""),
          inetAddresses(node)));
    }
    return links;
  }

  /** {@code ip -j -4 addr show dev X}. */
  public List<Ipv4Cidr> addresses(String json) {
    List<Ipv4Cidr> all = new ArrayList<>();
    for (JsonNode node : array(json)) {
      all.addAll(inetAddresses(node));
    }
    return all;
  }

  /**
   * {@code ip -j -4 route show ...}. With {@code dev X} in the query ip leaves out the device, so
   * the caller passes it as {@code impliedDevice}.
   */
  public List<Route> routes(String json, String impliedDevice) {
    List<Route> routes = new ArrayList<>();
    for (JsonNode node : array(json)) {
      routes.add(new Route(
          node.path("dst").asText(),
          text(node, "gateway"),
          node.path("dev").asText(impliedDevice),
          node.path("metric").asInt(0),
          text(node, "protocol")));
    }
    return routes;
  }

  /** {@code ip -j -4 neigh show dev X}. */
  public List<Neighbour> neighbours(String json) {
    List<Neighbour> neighbours = new ArrayList<>();
    for (JsonNode node : array(json)) {
      List<String> states = new ArrayList<>();
      node.path("state").forEach(s -> states.add(s.asText()));
      neighbours.add(new Neighbour(node.path("dst").asText(), node.path("lladdr").asText("").toLowerCase(), states));
    }
    return neighbours;
  }

  private static List<Ipv4Cidr> inetAddresses(JsonNode link) {
    List<Ipv4Cidr> addresses = new ArrayList<>();
    for (JsonNode a : link.path("addr_info")) {
      if (a.path("family").asText().equals("inet")) {
        addresses.add(new Ipv4Cidr(a.path("local").asText(), a.path("prefixlen").asInt()));
      }
    }
    return addresses;
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? Optional.empty() : Optional.of(value.asText());
  }

  private JsonNode array(String json) {
    if (json == null || json.isBlank()) {
      return mapper.createArrayNode();
    }
    try {
      JsonNode node = mapper.readTree(json);
      if (!node.isArray()) {
        throw new IllegalArgumentException("expected a JSON array from `ip -j`, got: " + abbreviate(json));
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot parse `ip -j` output: " + abbreviate(json), e);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
