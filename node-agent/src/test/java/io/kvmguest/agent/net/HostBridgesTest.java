package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HostBridgesTest {
  private final FakeHostNetwork net = new FakeHostNetwork();

  @Test
  void eachModeGetsItsBridge() {
    assertInstanceOf(ExistingBridge.class, forMode(NetworkMode.EXISTING));
    assertInstanceOf(ManagedBridge.class, forMode(NetworkMode.MANAGED));
    assertInstanceOf(NatBridge.class, forMode(NetworkMode.NAT));
  }

  private HostBridge forMode(NetworkMode mode) {
    return HostBridges.forConfig(NetworkConfig.defaults(mode, Path.of("/s")), net, net.reachability(),
        new FakeNatFirewall(), new FakeDhcpServer());
  }
}
