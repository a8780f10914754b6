package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourcePathTest {
  @Test
  void parsesCollectionsObjectsAndSubresources() {
    assertEquals(new ResourcePath("kvmguest.io", "v1alpha1", "default", "virtualguests", "demo", "status"),
        ResourcePath.parse("/apis/kvmguest.io/v1alpha1/namespaces/default/virtualguests/demo/status").orElseThrow());
    assertEquals(new ResourcePath("", "v1", null, "namespaces", "default", null),
        ResourcePath.parse("/api/v1/namespaces/default").orElseThrow());
    ResourcePath secrets = ResourcePath.parse("/api/v1/namespaces/default/secrets").orElseThrow();
    assertTrue(secrets.isList());
    assertEquals("/api/v1/namespaces/default/secrets/x", secrets.withObject("default", "x").objectPath());
    assertEquals("/apis/kvmguest.io/v1alpha1/virtualguests",
        ResourcePath.parse("/apis/kvmguest.io/v1alpha1/virtualguests").orElseThrow().collectionPath());
    assertTrue(ResourcePath.parse("/apis/kvmguest.io/v1alpha1").isEmpty());
    assertTrue(ResourcePath.parse("/version").isEmpty());
  }
}
