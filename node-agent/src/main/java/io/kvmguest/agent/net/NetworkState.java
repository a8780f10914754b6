package io.kvmguest.agent.net;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of the host's network one mode cares about: a few named links (absent ones are simply
 * missing from {@code links}) and the hand-made routes through them. Both what we read and what we
 * want are NetworkStates; {@link StateDiff} turns the difference into steps.
 */
public record NetworkState(Map<String, Link> links, List<Route> routes) {

  public NetworkState {
    links = Collections.unmodifiableMap(new LinkedHashMap<>(links));
    routes = List.copyOf(routes);
  }

  /** Reads the named links and their non-kernel IPv4 routes. */
  public static NetworkState read(HostNetwork net, Collection<String> names) {
    Map<String, Link> links = new LinkedHashMap<>();
    List<Link> all = net.links();
    for (String name : new LinkedHashSet<>(names)) {
      all.stream().filter(l -> l.name().equals(name)).findFirst().ifPresent(l -> links.put(name, l));
    }
    List<Route> routes = links.keySet().stream()
        .flatMap(name -> net.routes(name).stream())
        .filter(r -> !r.isKernel())
        .toList();
    return new NetworkState(links, routes);
  }

  public Optional<Link> link(String name) {
    return Optional.ofNullable(links.get(name));
  }

  /** The default route through one of these links, if any. */
  public Optional<Route> defaultRoute() {
    return routes.stream().filter(Route::isDefault).min((a, b) -> Integer.compare(a.metric(), b.metric()));
  }

  /** True when nothing would have to change to turn this state into {@code other}. */
  public boolean matches(NetworkState other) {
    return StateDiff.steps(this, other).isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    links.values().forEach(l -> s.append(l.name()).append(l.master().map(m -> " master " + m).orElse(""))
        .append(l.up() ? " up " : " down ").append(l.addresses()).append("; "));
    routes.forEach(r -> s.append(r).append("; "));
    return s.toString().strip();
  }
}
