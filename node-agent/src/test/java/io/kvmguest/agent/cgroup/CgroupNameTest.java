package io.kvmguest.agent.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CgroupNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"3f2b8c1e-7a4d-4e0b-9c61-0d2f5a8e9b17", "kvmguest", "kvmguest-it-1a2b", "a_b.c"})
  void kubernetesUidsAndPlainNamesPass(String name) {
    assertEquals(name, CgroupName.require("guest uid", name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "../etc", "a/b", "a..b", "/abs", "sp ace", "new\nline", "ü"})
  void anythingThatIsNotOnePlainPathComponentIsRefused(String name) {
    var e = assertThrows(IllegalArgumentException.class, () -> CgroupName.require("guest uid", name));
    assertTrue(e.getMessage().startsWith("guest uid \"" + name + "\" cannot name a cgroup"), e.getMessage());
  }
}
