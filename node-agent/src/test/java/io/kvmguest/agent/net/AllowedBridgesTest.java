package io.kvmguest.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedBridgesTest {
  @Test
  void byDefaultOnlyTheAgentsOwnBridge() {
    AllowedBridges only = AllowedBridges.only("br0");
    assertTrue(only.allows("br0"));
    assertFalse(only.allows("cni0"), "the pod network is not the guests'");
    assertFalse(only.allows("docker0"));
    assertEquals("br0", only.names());
  }

  @Test
  void theAdminsBridgesToo() {
    AllowedBridges allowed = AllowedBridges.of("br0", List.of("br-lab", "br-dmz"));
    assertTrue(allowed.allows("br-lab"));
    assertTrue(allowed.allows("br-dmz"));
    assertFalse(allowed.allows("cni0"));
    assertEquals("br0, br-dmz, br-lab", allowed.names(), "own first, then sorted");
  }
}
