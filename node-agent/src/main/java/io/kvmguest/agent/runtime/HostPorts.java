package io.kvmguest.agent.runtime;

import io.kvmguest.agent.qemu.NicBackend;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.PortForward;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node's forwarded host ports (user networking), each held by one guest. Without it a
 * second guest asking for a taken port would only fail when its qemu cannot bind, with qemu's
 * error instead of the spec field at fault.
 */
public final class HostPorts {
  /** One listening port on the node. */
  public record Port(NicBackend.Protocol protocol, int number) {
    @Override
    public String toString() {
      return protocol + " port " + number;
    }
  }

  /** A port a guest asks for, and the spec field that asks. */
  public record Wanted(Port port, String field) {}

  /** hostfwd=tcp:ADDR:PORT-... in the argv the agent launched: what an adopted qemu listens on. */
  private static final Pattern HOSTFWD = Pattern.compile("hostfwd=(tcp|udp):[^:,]*:([0-9]+)-");

  private final Map<Port, String> owners = new HashMap<>();

  /** Every forward in the spec, with its field path. */
  public static List<Wanted> wanted(VirtualGuestSpec spec) {
    List<Wanted> wanted = new ArrayList<>();
    for (int i = 0; i < spec.interfaces().size(); i++) {
      NetworkInterface nic = spec.interfaces().get(i);
      if (nic.network() == null || nic.network().user() == null) {
        continue;
      }
      List<PortForward> forwards = nic.network().user().portForwards();
      for (int j = 0; j < forwards.size(); j++) {
        PortForward f = forwards.get(j);
        wanted.add(new Wanted(new Port(NicBackend.Protocol.fromApi(f.protocol()), f.hostPort()),
            "spec.interfaces[" + i + "].network.user.portForwards[" + j + "].hostPort"));
      }
    }
    return wanted;
  }

  /**
   * Gives {@code uid} all of {@code wanted}, or none: the problem names the first field whose port
   * another guest (or another of this guest's forwards) already has.
   */
  public synchronized Optional<String> claim(String uid, List<Wanted> wanted) {
    Map<Port, String> mine = new HashMap<>();
    for (Wanted w : wanted) {
      String owner = owners.get(w.port());
      if (owner != null && !owner.equals(uid)) {
        return Optional.of(w.field() + ": " + w.port() + " is already forwarded to another guest on this node (uid " + owner
            + "); each host port can be forwarded to one guest only, pick another hostPort");
      }
      String earlier = mine.putIfAbsent(w.port(), w.field());
      if (earlier != null) {
        return Optional.of(w.field() + ": " + w.port() + " is already forwarded by " + earlier + "; pick another hostPort");
      }
    }
    mine.keySet().forEach(p -> owners.put(p, uid));
    return Optional.empty();
  }

  /** Records the ports an adopted guest's qemu listens on, read from the argv it was started with. */
  public synchronized void adopt(String uid, List<String> argv) {
    for (String arg : argv) {
      Matcher m = HOSTFWD.matcher(arg);
      while (m.find()) {
        owners.put(new Port(NicBackend.Protocol.fromApi(m.group(1).toUpperCase(java.util.Locale.ROOT)), Integer.parseInt(m.group(2))), uid);
      }
    }
  }

  public synchronized void release(String uid) {
    owners.values().removeIf(uid::equals);
  }
}
