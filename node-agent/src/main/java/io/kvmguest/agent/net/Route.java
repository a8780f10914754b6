package io.kvmguest.agent.net;

import java.util.Optional;

/**
 * An IPv4 route of the main table. {@code destination} is {@code default} or a CIDR; an empty
 * {@code protocol} is the kernel's default ({@code boot}), which {@code ip -j} does not print.
 * Kernel-protocol routes are derived from addresses and are never moved or restored by hand.
 */
public record Route(String destination, Optional<String> gateway, String device, int metric, Optional<String> protocol) {

  public static Route defaultVia(String gateway, String device) {
    return new Route("default", Optional.of(gateway), device, 0, Optional.empty());
  }

  public boolean isDefault() {
    return "default".equals(destination);
  }

  public boolean isKernel() {
    return protocol.filter("kernel"::equals).isPresent();
  }

  public Route onDevice(String newDevice) {
    return new Route(destination, gateway, newDevice, metric, protocol);
  }

  @Override
  public String toString() {
    return destination + gateway.map(g -> " via " + g).orElse("") + " dev " + device
        + (metric != 0 ? " metric " + metric : "") + protocol.map(p -> " proto " + p).orElse("");
  }
}
