package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvmguest.agent.qemu.NicBackend.Protocol;
import io.kvmguest.api.v1alpha1.Network;
import io.kvmguest.api.v1alpha1.NetworkInterface;
import io.kvmguest.api.v1alpha1.PortForward;
import io.kvmguest.api.v1alpha1.UserNetwork;
import io.kvmguest.api.v1alpha1.VirtualGuestSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostPortsTest {
  private static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
  private static final String B = "bbbbbbbb-0000-4000-8000-000000000002";

  private static VirtualGuestSpec forwarding(PortForward... forwards) {
    NetworkInterface bridged = new NetworkInterface("lan", "virtio", null, null);
    NetworkInterface user = new NetworkInterface("up", "e1000", null, new Network(null, new UserNetwork(List.of(forwards))));
    return new VirtualGuestSpec(null, 1, new Quantity("128Mi"), null, null, List.of(), List.of(), null, List.of(bridged, user), null);
  }

  @Test
  void wantedNamesEachForwardsField() {
    assertEquals(List.of(
        new HostPorts.Wanted(new HostPorts.Port(Protocol.TCP, 2222), "spec.interfaces[1].network.user.portForwards[0].hostPort"),
        new HostPorts.Wanted(new HostPorts.Port(Protocol.UDP, 53), "spec.interfaces[1].network.user.portForwards[1].hostPort")),
        HostPorts.wanted(forwarding(new PortForward(null, 2222, 22), new PortForward("UDP", 53, 53))));
  }

  @Test
  void aSecondGuestIsRefusedThePortUntilTheFirstReleasesIt() {
    HostPorts ports = new HostPorts();
    assertEquals(Optional.empty(), ports.claim(A, HostPorts.wanted(forwarding(new PortForward(null, 8080, 80)))));

    Optional<String> refused = ports.claim(B, HostPorts.wanted(forwarding(new PortForward("UDP", 8080, 80), new PortForward(null, 8080, 80))));
    assertEquals(Optional.of("spec.interfaces[1].network.user.portForwards[1].hostPort: TCP port 8080 is already forwarded to another"
        + " guest on this node (uid " + A + "); each host port can be forwarded to one guest only, pick another hostPort"), refused);
    assertEquals(Optional.empty(), ports.claim(A, HostPorts.wanted(forwarding(new PortForward(null, 8080, 80)))), "a restart keeps its own");

    ports.release(A);
    assertEquals(Optional.empty(), ports.claim(B, HostPorts.wanted(forwarding(new PortForward(null, 8080, 80)))));
  }

  @Test
  void refusedClaimTakesNothing() {
    HostPorts ports = new HostPorts();
    ports.claim(A, HostPorts.wanted(forwarding(new PortForward(null, 9000, 90))));
    assertTrue(ports.claim(B, HostPorts.wanted(forwarding(new PortForward(null, 9001, 91), new PortForward(null, 9000, 90)))).isPresent());
    assertEquals(Optional.empty(), ports.claim(A, HostPorts.wanted(forwarding(new PortForward(null, 9001, 91)))), "9001 stayed free");
  }

  @Test
  void adoptedGuestHoldsThePortsItsArgvForwards() {
    HostPorts ports = new HostPorts();
    ports.adopt(A, List.of("/usr/bin/qemu-system-x86_64", "-netdev",
        "user,id=net-up,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22,hostfwd=udp:127.0.0.1:5353-:53"));
    assertTrue(ports.claim(B, HostPorts.wanted(forwarding(new PortForward("UDP", 5353, 53)))).isPresent());
    assertEquals(Optional.empty(), ports.claim(B, HostPorts.wanted(forwarding(new PortForward(null, 5353, 53)))), "TCP 5353 is free");
  }
}
