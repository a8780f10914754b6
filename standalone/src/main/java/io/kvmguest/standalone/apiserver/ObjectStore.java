package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The object store: fabric8's CRUD mock dispatcher with the gaps a real API server would not have filled in.
 * Writes are serialized (a patch reads, merges and writes atomically); every change is saved to
 * {@link ObjectSnapshots}; patches of every type become updates (so resourceVersion preconditions, the status
 * subresource and finalizers behave alike); PUT to /status honours a stale resourceVersion as a conflict; an
 * object marked for deletion goes away once its last finalizer is removed, however that happens; defaults of the
 * CRD schema are applied; Secret stringData is folded into data; list field selectors work on any field.
 */
final class ObjectStore extends KubernetesCrudDispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectSnapshots snapshots;
  private final CrdCatalog crds;
  private final ReentrantLock writes = new ReentrantLock();
  private boolean restoring;

  ObjectStore(ObjectSnapshots snapshots) {
    this.snapshots = snapshots;
    this.crds = new CrdCatalog(() -> list(CrdCatalog.CRD_COLLECTION));
  }

  CrdCatalog crds() {
    return crds;
  }

  /** Loads every saved object, CRDs first so custom resources find their definitions. */
  void restore() {
    writes.lock();
    restoring = true;
    try {
      List<StoredObject> all = new ArrayList<>(snapshots.loadAll());
      all.sort(Comparator.comparingInt(ObjectStore::restoreOrder));
      long highest = snapshots.resourceVersion();
      for (StoredObject o : all) {
        processEvent(o.path(), getKey(o.path()), null, null, o.json());
        highest = Math.max(highest, resourceVersionOf(parse(o.json())));
      }
      while (requestResourceVersion() < highest) {
        // advance the private counter of the mock to the highest version already handed out
      }
    } finally {
      restoring = false;
      writes.unlock();
    }
  }

  List<JsonNode> list(String collectionPath) {
    JsonNode list = parse(super.handleGet(collectionPath).getBody().readUtf8());
    List<JsonNode> items = new ArrayList<>();
    list.path("items").forEach(items::add);
    return items;
  }

  Optional<JsonNode> get(String objectPath) {
    MockResponse response = super.handleGet(objectPath);
    return response.code() == 200 ? Optional.of(parse(response.getBody().readUtf8())) : Optional.empty();
  }

  /**
   * A GET: a watch, one object, or a list filtered by the field selector, sorted by namespace and name, and typed
   * apiVersion/listKind (the mock answers kind List, which typed clients cannot decode into an EventList: kubectl
   * describe then silently shows no events).
   */
  MockResponse read(ApiRequest r, ResourcePath p, String apiVersion, String listKind) throws ApiException {
    if (r.isWatch() || !p.isList()) {
      return super.handleGet(r.isWatch() ? r.pathForStore(true) : r.path());
    }
    ObjectNode list = (ObjectNode) parse(super.handleGet(r.pathForStore(false)).getBody().readUtf8());
    list.put("apiVersion", apiVersion).put("kind", listKind);
    List<JsonNode> items = new ArrayList<>();
    FieldSelector selector = StoreRequests.fieldSelector(r);
    list.path("items").forEach(item -> {
      if (selector == null || selector.matches(item)) {
        items.add(item);
      }
    });
    items.sort(Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText())
        .thenComparing(i -> i.path("metadata").path("name").asText()));
    ArrayNode sorted = list.putArray("items");
    items.forEach(sorted::add);
    return Responses.json(200, list.toString());
  }

  MockResponse create(ApiRequest r, ResourcePath p) throws ApiException {
    StoreRequests.refuseDryRun(r);
    JsonNode body = StoreRequests.body(r);
    String name = body.path("metadata").path("name").asText("");
    if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("%")) {
      throw new ApiException(ApiErrors.invalid("metadata.name: Invalid value: \"" + name
          + "\": may not be '.' or '..' and may not contain '/' or '%'"), name);
    }
    return locked(() -> {
      if (p.namespace() != null && get("/api/v1/namespaces/" + p.namespace()).isEmpty()) {
        throw new ApiException(ApiErrors.notFound("namespaces \"" + p.namespace() + "\" not found"), p.namespace());
      }
      MockResponse created = super.handleCreate(StoreRequests.request(HttpMethod.POST, p.collectionPath(), normalize(p, body)));
      if (created.code() != 201) {
        return created;
      }
      // Answer with what was stored: processEvent replaced the mock's sequential uid with a random one.
      JsonNode stored = parse(created.getBody().readUtf8());
      String namespace = stored.path("metadata").hasNonNull("namespace")
          ? stored.path("metadata").get("namespace").asText() : null;
      return get(p.withObject(namespace, stored.path("metadata").path("name").asText()).objectPath())
          .map(o -> Responses.json(201, o.toString())).orElse(created);
    });
  }

  MockResponse update(ApiRequest r, ResourcePath p) throws ApiException {
    StoreRequests.refuseDryRun(r);
    JsonNode body = StoreRequests.body(r);
    return locked(() -> updateLocked(p, body));
  }

  MockResponse patch(ApiRequest r, ResourcePath p) throws ApiException {
    StoreRequests.refuseDryRun(r);
    return locked(() -> {
      Map.Entry<AttributeSet, String> current = findResource(getKey(p.objectPath()));
      if (current == null) {
        return new MockResponse().setResponseCode(404);
      }
      JsonNode patched = Patches.apply(r.contentType(), parse(current.getValue()), r.body());
      return updateLocked(p, patched);
    });
  }

  MockResponse delete(ApiRequest r) throws ApiException {
    StoreRequests.refuseDryRun(r);
    return locked(() -> super.handleDelete(r.pathForStore(true)));
  }

  private MockResponse updateLocked(ResourcePath p, JsonNode body) throws ApiException {
    Map.Entry<AttributeSet, String> current = findResource(getKey(p.objectPath()));
    if (current == null) {
      return new MockResponse().setResponseCode(404);
    }
    String expected = body.path("metadata").path("resourceVersion").asText("");
    String actual = parse(current.getValue()).path("metadata").path("resourceVersion").asText("");
    if (!expected.isEmpty() && !expected.equals(actual)) {
      throw new ApiException(ApiErrors.conflict("Operation cannot be fulfilled on " + p.plural()
          + (p.group().isEmpty() ? "" : "." + p.group()) + " \"" + p.name() + "\": the object has been modified; "
          + "please apply your changes to the latest version and try again"), p.objectPath());
    }
    String path = p.subresource() == null ? p.objectPath() : p.objectPath() + "/" + p.subresource();
    JsonNode normalized = normalize(p, body);
    MockResponse response = super.handleUpdate(StoreRequests.request(HttpMethod.PUT, path, normalized));
    if (response.code() == 200 && (response.getBody() == null || response.getBody().size() == 0)) {
      // The update removed the last finalizer of an object being deleted: answer with its final state.
      response.setBody(normalized.toString());
    }
    return response;
  }

  /** Marked for deletion and no finalizer left: the update is the deletion. Every change is saved. */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    String previous = oldAttributes == null ? null : map.get(oldAttributes);
    boolean finalized = newState != null && isFinalizedDeletion(parse(newState));
    String state = finalized ? null : newState;
    if (state != null && previous == null && !restoring) {
      state = withRandomUid(state);
    }
    super.processEvent(path, pathAttributes, oldAttributes, finalized ? null : resource, state);
    if (!restoring) {
      persist(path, previous, state);
    }
  }

  /** Updates never clear deletionTimestamp: once deleting, an object stays deleting. */
  @Override
  public void preserveMetadata(JsonNode currentResource, JsonNode updatedResource) {
    super.preserveMetadata(currentResource, updatedResource);
    JsonNode metadata = currentResource.path("metadata");
    for (String field : List.of("deletionTimestamp", "deletionGracePeriodSeconds")) {
      if (metadata.hasNonNull(field)) {
        ((ObjectNode) updatedResource.get("metadata")).set(field, metadata.get(field).deepCopy());
      }
    }
  }

  private void persist(String path, String previous, String newState) {
    String state = newState != null ? newState : previous;
    Optional<ResourcePath> p = ResourcePath.parse(path.split("\\?")[0]);
    if (state == null || p.isEmpty()) {
      return;
    }
    JsonNode object = parse(state);
    JsonNode metadata = object.path("metadata");
    String objectPath = p.get().withObject(metadata.hasNonNull("namespace") ? metadata.get("namespace").asText() : null,
        metadata.path("name").asText()).objectPath();
    if (newState != null) {
      snapshots.save(new StoredObject(objectPath, newState));
      snapshots.recordResourceVersion(resourceVersionOf(object));
    } else {
      snapshots.delete(objectPath);
    }
  }

  /** Schema defaults for custom resources, stringData folded into data for Secrets, namespaces Active. */
  private JsonNode normalize(ResourcePath p, JsonNode body) {
    ObjectNode copy = body.deepCopy();
    crds.find(p.group(), p.version(), p.plural()).ifPresent(crd -> SchemaDefaults.apply(crd.schema(), copy));
    if (p.group().isEmpty() && p.plural().equals("secrets")) {
      SecretData.foldStringData(copy);
    }
    if (p.group().isEmpty() && p.plural().equals("namespaces") && !copy.path("status").has("phase")) {
      copy.putObject("status").put("phase", "Active");
    }
    return copy;
  }

  /** The mock numbers uids from 1 on every start; uids must stay unique across restarts. */
  private static String withRandomUid(String state) {
    ObjectNode object = (ObjectNode) parse(state);
    ((ObjectNode) object.path("metadata")).put("uid", UUID.randomUUID().toString());
    return object.toString();
  }

  private static boolean isFinalizedDeletion(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    return metadata.hasNonNull("deletionTimestamp") && metadata.path("finalizers").isEmpty();
  }

  private static int restoreOrder(StoredObject o) {
    if (o.path().startsWith(CrdCatalog.CRD_COLLECTION)) {
      return 0;
    }
    return o.path().startsWith("/api/v1/namespaces/") && o.path().split("/").length == 5 ? 1 : 2;
  }

  private static long resourceVersionOf(JsonNode object) {
    try {
      return Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the store holds invalid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private interface Write {
    MockResponse run() throws ApiException;
  }

  private MockResponse locked(Write write) throws ApiException {
    writes.lock();
    try {
      return write.run();
    } finally {
      writes.unlock();
    }
  }
}
