package io.kvmguest.api.validation;

import io.kvmguest.api.v1alpha1.Enums;
import io.kvmguest.api.v1alpha1.Limits;
import io.kvmguest.api.v1alpha1.MacAddresses;
import io.kvmguest.api.v1alpha1.Network;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.PortForward;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** interfaces: names, models, MACs, bridge names and port forwards. */
final class NetworkRules {
  private NetworkRules() {}

  /** Linux interface names: at most 15 bytes, no '/', ':' or whitespace. */
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

  static void check(VirtualGuestSpec spec, Errors errors) {
    Map<String, String> names = new HashMap<>();
    Map<String, String> macs = new HashMap<>();
    Map<String, String> hostPorts = new HashMap<>();
    List<NetworkInterface> nics = spec.interfaces();
    for (int i = 0; i < nics.size(); i++) {
      NetworkInterface nic = nics.get(i);
      String path = "spec.interfaces[" + i + "]";
      var nameProblem = Checks.dnsLabel(nic.name());
      if (nameProblem.isPresent()) {
        errors.add(path + ".name", nameProblem.get());
      } else {
        String earlier = names.putIfAbsent(nic.name(), path);
        if (earlier != null) {
          errors.add(path + ".name", "\"" + nic.name() + "\" is already used by " + earlier + ": interface names must be unique");
        }
      }
      Checks.oneOf(Enums.NicModel.class, nic.model()).ifPresent(m -> errors.add(path + ".model", m));
      checkMac(nic.macAddress(), path + ".macAddress", macs, errors);
      if (nic.network() != null) {
        checkNetwork(nic.network(), path + ".network", hostPorts, errors);
      }
    }
  }

  private static void checkMac(String mac, String path, Map<String, String> seen, Errors errors) {
    if (mac == null) {
      return;
    }
    var problem = MacAddresses.problem(mac);
    if (problem.isPresent()) {
      errors.add(path, "\"" + Checks.printable(mac) + "\" " + problem.get());
      return;
    }
    String earlier = seen.putIfAbsent(MacAddresses.normalize(mac), path);
    if (earlier != null) {
      errors.add(path, MacConflicts.message(mac, earlier));
    }
  }

  private static void checkNetwork(Network network, String path, Map<String, String> hostPorts, Errors errors) {
    if (network.bridge() != null && network.user() != null) {
      errors.add(path, "sets both bridge and user: set at most one");
    }
    if (network.bridge() != null && network.bridge().name() != null && !IFNAME.matcher(network.bridge().name()).matches()) {
      errors.add(path + ".bridge.name", "\"" + Checks.printable(network.bridge().name()) + "\" is not a Linux interface name: 1-15 letters, digits, '_', '.' or '-'");
    }
    if (network.user() != null) {
      List<PortForward> forwards = network.user().portForwards();
      for (int i = 0; i < forwards.size(); i++) {
        checkForward(forwards.get(i), path + ".user.portForwards[" + i + "]", hostPorts, errors);
      }
    }
  }

  private static void checkForward(PortForward forward, String path, Map<String, String> hostPorts, Errors errors) {
    Checks.oneOf(Enums.Protocol.class, forward.protocol()).ifPresent(m -> errors.add(path + ".protocol", m));
    checkPort(forward.hostPort(), path + ".hostPort", errors);
    checkPort(forward.guestPort(), path + ".guestPort", errors);
    if (forward.hostPort() != null) {
      String key = forward.protocol() + "/" + forward.hostPort();
      String earlier = hostPorts.putIfAbsent(key, path);
      if (earlier != null) {
        errors.add(path + ".hostPort", key + " is already forwarded by " + earlier + ": each host port can be forwarded once");
      }
    }
  }

  private static void checkPort(Integer port, String path, Errors errors) {
    if (port == null) {
      errors.add(path, "is required: a port from 1 to 65535");
    } else if (port < Limits.MIN_PORT || port > Limits.MAX_PORT) {
      errors.add(path, port + " is out of range: allowed are 1 to 65535");
    }
  }
}
