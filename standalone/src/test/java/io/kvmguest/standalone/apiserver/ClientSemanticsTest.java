package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operator and the node agent rely on through the fabric8 client: informers, locking, patches. */
class ClientSemanticsTest {
  @TempDir
  Path state;
  EmbeddedApiServer server;
  KubernetesClient client;

  @BeforeEach
  void start() {
    server = EmbeddedApiServer.start(state, 0);
    client = server.client();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void informerWithALabelSelectorSeesOnlyItsNodesGuests() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    SharedIndexInformer<VirtualGuest> informer = client.resources(VirtualGuest.class).inAnyNamespace()
        .withLabel(ClusterContract.NODE_LABEL, "host1").inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(VirtualGuest g) {
            events.add("add " + g.getMetadata().getName());
          }

          @Override
          public void onUpdate(VirtualGuest old, VirtualGuest g) {
            events.add("update " + g.getMetadata().getName() + " " + phase(g));
          }

          @Override
          public void onDelete(VirtualGuest g, boolean unknownFinalState) {
            events.add("delete " + g.getMetadata().getName());
          }
        });
    try {
      informer.run();
      Guests.create(client, "elsewhere", Map.of(ClusterContract.NODE_LABEL, "host2"));
      Guests.create(client, "mine", Map.of(ClusterContract.NODE_LABEL, "host1"));
      assertEquals("add mine", events.poll(10, TimeUnit.SECONDS));
      GuestStatuses.running(client, "mine", "host1", "192.0.2.10");
      assertEquals("update mine Running", next(events, "update mine Running"));
      client.resources(VirtualGuest.class).withName("mine").delete();
      assertEquals("delete mine", next(events, "delete mine"));
      assertTrue(events.stream().noneMatch(e -> e.contains("elsewhere")), events.toString());
    } finally {
      informer.close();
    }
  }

  @Test
  void jsonPatchTestOfAStaleResourceVersionIsRejected() {
    VirtualGuest guest = Guests.create(client, "demo", Map.of());
    String stale = guest.getMetadata().getResourceVersion();
    GuestStatuses.running(client, "demo", "host1", "192.0.2.10");
    String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + stale + "\"},"
        + "{\"op\":\"replace\",\"path\":\"/status/phase\",\"value\":\"Failed\"}]";
    Resource<VirtualGuest> resource = client.resources(VirtualGuest.class).withName("demo");
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> resource.subresource("status").patch(PatchContext.of(PatchType.JSON), patch));
    assertEquals(422, e.getCode());
    assertEquals("Running", phase(resource.get()));

    String fresh = resource.get().getMetadata().getResourceVersion();
    resource.subresource("status").patch(PatchContext.of(PatchType.JSON), patch.replace(stale, fresh));
    assertEquals("Failed", phase(resource.get()));
  }

  @Test
  void putAndMergePatchOfStatusWithAStaleResourceVersionConflict() {
    VirtualGuest stale = Guests.create(client, "demo", Map.of());
    GuestStatuses.running(client, "demo", "host1", "192.0.2.10");
    stale.setStatus(GuestStatuses.runningStatus("host2", "192.0.2.99"));
    KubernetesClientException put = assertThrows(KubernetesClientException.class,
        () -> client.resource(stale).updateStatus());
    assertEquals(409, put.getCode());

    String merge = "{\"metadata\":{\"resourceVersion\":\"" + stale.getMetadata().getResourceVersion()
        + "\"},\"status\":{\"phase\":\"Failed\"}}";
    KubernetesClientException patch = assertThrows(KubernetesClientException.class,
        () -> client.resources(VirtualGuest.class).withName("demo").subresource("status")
            .patch(PatchContext.of(PatchType.JSON_MERGE), merge));
    assertEquals(409, patch.getCode());
    assertEquals("host1", client.resources(VirtualGuest.class).withName("demo").get().getStatus().nodeName());
  }

  @Test
  void statusIsASubresource() {
    Guests.create(client, "demo", Map.of());
    VirtualGuest guest = client.resources(VirtualGuest.class).withName("demo").get();
    guest.setStatus(GuestStatuses.runningStatus("host1", "192.0.2.10"));
    VirtualGuest updated = client.resource(guest).update();
    assertNull(phase(updated), "PUT of the object ignores status");
    long generation = updated.getMetadata().getGeneration();
    GuestStatuses.running(client, "demo", "host1", "192.0.2.10");
    VirtualGuest after = client.resources(VirtualGuest.class).withName("demo").get();
    assertEquals("Running", phase(after));
    assertEquals(generation, after.getMetadata().getGeneration(), "status writes do not bump the generation");
  }

  @Test
  void queryParametersDoNotBreakStatusPaths() throws IOException, InterruptedException {
    Guests.create(client, "demo", Map.of());
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.url()
            + "/apis/kvmguest.io/v1alpha1/namespaces/default/virtualguests/demo/status"
            + "?fieldManager=kvmguest-agent&fieldValidation=Strict"))
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":{\"phase\":\"Starting\"}}"))
        .header("Content-Type", "application/merge-patch+json")
        .header("Authorization", "Bearer " + server.token().value()).timeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = ApiHttp.client(server).send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("Starting", phase(client.resources(VirtualGuest.class).withName("demo").get()));
  }

  @Test
  void removingTheLastFinalizerByJsonPatchDeletes() {
    Guests.create(client, "demo", Map.of());
    Resource<VirtualGuest> resource = client.resources(VirtualGuest.class).withName("demo");
    resource.edit(g -> {
      g.getMetadata().setFinalizers(List.of(ClusterContract.NODE_CLEANUP_FINALIZER));
      return g;
    });
    resource.delete();
    assertNotNull(resource.get().getMetadata().getDeletionTimestamp());
    // An update may not resurrect a deleting object.
    resource.edit(g -> {
      g.getMetadata().setDeletionTimestamp(null);
      return g;
    });
    assertNotNull(resource.get().getMetadata().getDeletionTimestamp());
    resource.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"}]");
    assertNull(resource.get());
  }

  @Test
  void strategicMergePatchOfASecretAndServerSideApplyRefused() {
    client.secrets().resource(new SecretBuilder().withNewMetadata().withName("vnc").endMetadata()
        .addToStringData("password", "one").addToStringData("user", "vnc").build()).create();
    client.secrets().withName("vnc").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"stringData\":{\"password\":\"two\"}}");
    Map<String, String> data = client.secrets().withName("vnc").get().getData();
    assertEquals("dHdv", data.get("password"));
    assertEquals("dm5j", data.get("user"));
    KubernetesClientException ssa = assertThrows(KubernetesClientException.class,
        () -> client.secrets().withName("vnc").patch(PatchContext.of(PatchType.SERVER_SIDE_APPLY),
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"vnc\"}}"));
    assertEquals(415, ssa.getCode());
  }

  @Test
  void unknownNamespacesAndResourcesAreNotFound() {
    KubernetesClientException missingNamespace = assertThrows(KubernetesClientException.class,
        () -> client.secrets().inNamespace("nowhere").resource(new SecretBuilder().withNewMetadata()
            .withName("x").endMetadata().build()).create());
    assertEquals(404, missingNamespace.getCode());
    KubernetesClientException pods = assertThrows(KubernetesClientException.class,
        () -> client.pods().list());
    assertEquals(404, pods.getCode());
  }

  private static String next(BlockingQueue<String> events, String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String e = events.poll(100, TimeUnit.MILLISECONDS);
      if (wanted.equals(e)) {
        return e;
      }
    }
    return "no '" + wanted + "' within 10 s";
  }

  private static String phase(VirtualGuest g) {
    return g.getStatus() == null ? null : g.getStatus().phase();
  }
}
