package io.kvmguest.standalone.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The store's persistence hook, against fake snapshots. */
class ObjectStoreTest {
  static final String CONFIG_MAPS = "/api/v1/namespaces/default/configmaps";
  final FakeObjectSnapshots snapshots = new FakeObjectSnapshots();

  @Test
  void everyChangeIsSavedAndARestoredStoreContinuesWhereItStopped() throws Exception {
    ObjectStore store = new ObjectStore(snapshots);
    call(store, HttpMethod.POST, "/api/v1/namespaces", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"default\"}}");
    JsonNode created = body(call(store, HttpMethod.POST, CONFIG_MAPS + "?fieldManager=x", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"k\":\"v\"}}"));
    call(store, HttpMethod.PATCH, CONFIG_MAPS + "/c", Patches.MERGE_PATCH, "{\"data\":{\"k\":\"w\"}}");
    assertTrue(snapshots.objects.get(CONFIG_MAPS + "/c").contains("\"w\""));
    assertTrue(snapshots.objects.containsKey("/api/v1/namespaces/default"));
    long version = snapshots.resourceVersion;

    ObjectStore restored = new ObjectStore(snapshots);
    restored.restore();
    JsonNode back = restored.get(CONFIG_MAPS + "/c").orElseThrow();
    assertEquals(created.at("/metadata/uid"), back.at("/metadata/uid"));
    assertEquals("w", back.at("/data/k").asText());
    JsonNode next = body(call(restored, HttpMethod.POST, CONFIG_MAPS, "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\"}}"));
    assertTrue(next.at("/metadata/resourceVersion").asLong() > version);

    call(restored, HttpMethod.DELETE, CONFIG_MAPS + "/c", "application/json", "");
    assertFalse(snapshots.objects.containsKey(CONFIG_MAPS + "/c"));
    assertTrue(snapshots.objects.containsKey(CONFIG_MAPS + "/d"));
  }

  @Test
  void dryRunIsRefusedRatherThanWritten() throws Exception {
    ObjectStore store = new ObjectStore(snapshots);
    MockResponse r = new ApiRouter(store, java.time.Clock.systemUTC(), () -> "127.0.0.1:1").handle(request(
        HttpMethod.POST, "/api/v1/namespaces?dryRun=All", "application/json",
        "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}}"));
    assertEquals(400, r.code());
    assertTrue(snapshots.objects.isEmpty());
  }

  private static MockResponse call(ObjectStore store, HttpMethod method, String uri, String contentType, String body)
      throws Exception {
    MockResponse r = new ApiRouter(store, java.time.Clock.systemUTC(), () -> "127.0.0.1:1")
        .handle(request(method, uri, contentType, body));
    assertTrue(r.code() >= 200 && r.code() < 300, method + " " + uri + " answered " + r.code());
    return r;
  }

  private static RecordedRequest request(HttpMethod method, String uri, String contentType, String body) {
    return new RecordedRequest("HTTP/1.1", method, uri, Headers.builder().add("Content-Type", contentType).build(),
        new Buffer(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static JsonNode body(MockResponse r) throws Exception {
    return PatchesTest.JSON.readTree(r.getBody().readUtf8());
  }
}
