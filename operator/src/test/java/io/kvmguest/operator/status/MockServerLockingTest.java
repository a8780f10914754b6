package io.kvmguest.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import io.kvmguest.operator.testing.Guests;
import io.kvmguest.operator.testing.TestCluster;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What fabric8's CRUD mock server (7.5.2) does with concurrent status writers; the reasons
 * {@link ConflictSafeStatus} writes the way it does. If one of the "mock quirk" assertions starts
 * failing after an upgrade, the mock got closer to a real API server.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class MockServerLockingTest {
  KubernetesClient client;
  VirtualGuest created;

  @BeforeEach
  void guest() {
    TestCluster.installCrd(client);
    created = client.resource(Guests.guest("ns", "g", "64Mi", 1)).create();
  }

  @Test
  void mockQuirkAStatusPutWithAStaleResourceVersionIsAccepted() {
    VirtualGuest stale = client.resource(created).get();
    stale.setStatus(VirtualGuestStatus.empty().withPhase("Pending"));
    client.resource(stale).updateStatus();
    stale.setStatus(VirtualGuestStatus.empty().withPhase("Running"));
    client.resource(stale).updateStatus(); // a real API server answers 409 here
    assertEquals("Running", client.resource(created).get().getStatus().phase());
  }

  @Test
  void mockQuirkAMergePatchAppendsToArraysInsteadOfReplacingThem() {
    String one = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}]}}";
    String two = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}";
    client.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), one);
    client.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), two);
    List<GuestCondition> conditions = client.resource(created).get().getStatus().conditions();
    assertEquals(2, conditions.size(), "RFC 7386 would leave one: " + conditions); // a real API server replaces the array
  }

  @Test
  void aJsonPatchSettingAStaleResourceVersionIsRefusedWith409AndACurrentOneIsApplied() {
    String stale = created.getMetadata().getResourceVersion();
    String current = client.resource(created).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch(stale, "Pending")).getMetadata().getResourceVersion();
    KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
        () -> client.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON), patch(stale, "Running")));
    assertEquals(409, conflict.getCode());
    assertEquals("Pending", client.resource(created).get().getStatus().phase());
    client.resource(created).subresource("status").patch(PatchContext.of(PatchType.JSON), patch(current, "Running"));
    assertEquals("Running", client.resource(created).get().getStatus().phase());
  }

  private static String patch(String resourceVersion, String phase) {
    return "[{\"op\":\"replace\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + resourceVersion + "\"},"
        + "{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"phase\":\"" + phase + "\"}}]";
  }
}
