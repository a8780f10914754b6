package io.kvmguest.agent.net;

import java.util.List;

/** An IPv4 neighbour-table (ARP) entry: who answered for {@code address} with {@code mac}. */
public record Neighbour(String address, String mac, List<String> states) {
  public Neighbour {
    states = List.copyOf(states);
  }

  /** FAILED and INCOMPLETE entries name an address nobody answered for. */
  public boolean resolved() {
    return !mac.isEmpty() && states.stream().noneMatch(s -> s.equals("FAILED") || s.equals("INCOMPLETE"));
  }
}
