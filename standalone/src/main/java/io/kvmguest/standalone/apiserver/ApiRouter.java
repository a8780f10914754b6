package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes one request: discovery, OpenAPI and health documents are answered here, resource paths go to the
 * {@link ObjectStore}, and GETs that ask for a Table (kubectl get) are rendered with the kind's printer columns.
 * Only served resources are reachable; anything else is a 404 like on a real API server.
 */
final class ApiRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ObjectStore store;
  private final Clock clock;
  private final Supplier<String> serverAddress;

  ApiRouter(ObjectStore store, Clock clock, Supplier<String> serverAddress) {
    this.store = store;
    this.clock = clock;
    this.serverAddress = serverAddress;
  }

  MockResponse handle(RecordedRequest request) {
    ApiRequest r = ApiRequest.of(request);
    try {
      return route(r);
    } catch (ApiException e) {
      return e.response();
    } catch (RuntimeException e) {
      LOG.error("{} {} failed", r.method(), r.path(), e);
      return ApiErrors.internal(r.method() + " " + r.path() + " failed: " + e);
    }
  }

  private MockResponse route(ApiRequest r) throws ApiException {
    if (r.method().equals("GET")) {
      Optional<MockResponse> document = document(r);
      if (document.isPresent()) {
        return document.get();
      }
    }
    ResourcePath p = ResourcePath.parse(r.path()).orElseThrow(() -> notFound());
    List<ServedCrd> crds = store.crds().served();
    ApiResource resource = served(p, crds).orElseThrow(() -> notFound());
    MockResponse response = switch (r.method()) {
      case "GET" -> store.read(r, p, resource.groupVersion(), listKind(resource, crds));
      case "POST" -> p.isList() ? store.create(r, p) : methodNotAllowed(r);
      case "PUT" -> p.isList() ? methodNotAllowed(r) : store.update(r, p);
      case "PATCH" -> p.isList() ? methodNotAllowed(r) : store.patch(r, p);
      case "DELETE" -> store.delete(r);
      default -> methodNotAllowed(r);
    };
    if (response.code() == 404 && (response.getBody() == null || response.getBody().size() == 0)) {
      return ApiErrors.notFound(p.plural() + (p.group().isEmpty() ? "" : "." + p.group()) + " \"" + p.name()
          + "\" not found");
    }
    if (response.getWebSocketListener() != null) {
      return watch(r, resource, crds, response);
    }
    if (r.method().equals("GET") && r.wantsTable() && response.code() == 200) {
      return Responses.json(200, Tables.render(readTree(response.getBody().readUtf8()), columns(resource, crds),
          r.param("includeObject"), clock.instant()));
    }
    return response;
  }

  private MockResponse watch(ApiRequest r, ApiResource resource, List<ServedCrd> crds, MockResponse response) {
    UnaryOperator<ObjectNode> rewrite = WatchEventRewriter.newerThan(sinceVersion(r));
    if (r.wantsTable()) {
      List<TableColumn> columns = columns(resource, crds);
      String include = r.param("includeObject");
      rewrite = compose(rewrite, WatchEventRewriter.asTable(o -> Tables.render(o, columns, include, clock.instant())));
    }
    return new MockResponse().withWebSocketUpgrade(new WatchEventRewriter(response.getWebSocketListener(), rewrite));
  }

  private static UnaryOperator<ObjectNode> compose(UnaryOperator<ObjectNode> first, UnaryOperator<ObjectNode> then) {
    return event -> {
      ObjectNode kept = first.apply(event);
      return kept == null ? null : then.apply(kept);
    };
  }

  /** resourceVersion the watch starts after; 0 (or none, or unparsable) means "send everything". */
  private static long sinceVersion(ApiRequest r) {
    try {
      return r.param("resourceVersion") == null ? 0 : Long.parseLong(r.param("resourceVersion"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Optional<MockResponse> document(ApiRequest r) throws ApiException {
    String path = r.path();
    List<String> segments = List.of(path.substring(1).split("/"));
    return switch (path) {
      case "/version" -> Optional.of(Responses.json(200, Discovery.version()));
      case "/healthz", "/livez", "/readyz" -> Optional.of(Responses.bytes(200, "text/plain", "ok".getBytes()));
      case "/" -> Optional.of(Responses.json(200, "{\"paths\":[\"/api\",\"/api/v1\",\"/apis\",\"/openapi/v2\","
          + "\"/openapi/v3\",\"/version\",\"/healthz\"]}"));
      case "/api" -> Optional.of(Responses.json(200, Discovery.coreVersions(serverAddress.get())));
      case "/apis" -> Optional.of(Responses.json(200, Discovery.groups(store.crds().allResources())));
      case "/api/v1" -> Optional.of(resourceList("v1"));
      case "/openapi/v2" -> Optional.of(openApiV2(r));
      case "/openapi/v3" -> Optional.of(Responses.json(200, OpenApiV3.root(store.crds().served())));
      default -> {
        if (segments.size() == 3 && segments.get(0).equals("apis")) {
          yield Optional.of(resourceList(segments.get(1) + "/" + segments.get(2)));
        }
        if (segments.size() == 5 && path.startsWith("/openapi/v3/apis/")) {
          String gv = segments.get(3) + "/" + segments.get(4);
          yield Optional.of(OpenApiV3.groupVersion(gv, store.crds().served())
              .map(doc -> Responses.json(200, doc)).orElseThrow(() -> notFound()));
        }
        yield Optional.empty();
      }
    };
  }

  private MockResponse resourceList(String groupVersion) throws ApiException {
    return Discovery.resources(groupVersion, store.crds().allResources())
        .map(doc -> Responses.json(200, doc)).orElseThrow(() -> notFound());
  }

  /** Protobuf is what kubectl asks for (and all it can read there); JSON for everyone else. */
  private MockResponse openApiV2(ApiRequest r) {
    var swagger = SwaggerV2.document(store.crds().served());
    if (r.accept().contains("protobuf")) {
      return Responses.bytes(200, OpenApiV2Protobuf.CONTENT_TYPE, OpenApiV2Protobuf.encode(swagger));
    }
    return Responses.json(200, swagger.toString());
  }

  private static Optional<ApiResource> served(ResourcePath p, List<ServedCrd> crds) {
    List<ApiResource> all = new java.util.ArrayList<>(BuiltinResources.ALL);
    crds.forEach(c -> all.add(c.resource()));
    return all.stream().filter(a -> a.group().equals(p.group()) && a.version().equals(p.version())
        && a.plural().equals(p.plural()) && (p.namespace() == null || a.namespaced())
        && (p.subresource() == null || (p.subresource().equals("status") && a.statusSubresource())))
        .findFirst();
  }

  /** A CRD's printer columns after Name (Name and Age without any), or the built-in kind's. */
  private static List<TableColumn> columns(ApiResource resource, List<ServedCrd> crds) {
    Optional<ServedCrd> crd = crd(resource, crds);
    if (crd.isPresent() && !crd.get().columns().isEmpty()) {
      List<TableColumn> columns = new java.util.ArrayList<>(List.of(Tables.NAME));
      crd.get().columns().forEach(c -> columns.add(c.toTableColumn()));
      return columns;
    }
    return BuiltinColumns.of(resource);
  }

  /** The kind of a list (EventList, VirtualGuestList): typed clients such as kubectl describe's need it. */
  private static String listKind(ApiResource resource, List<ServedCrd> crds) {
    return crd(resource, crds).map(ServedCrd::listKind).orElse(resource.kind() + "List");
  }

  private static Optional<ServedCrd> crd(ApiResource resource, List<ServedCrd> crds) {
    return crds.stream().filter(c -> c.resource().equals(resource)).findFirst();
  }

  private static MockResponse methodNotAllowed(ApiRequest r) {
    return ApiErrors.status(405, "MethodNotAllowed", r.method() + " is not supported on " + r.path());
  }

  private static ApiException notFound() {
    return new ApiException(ApiErrors.notFound("the server could not find the requested resource"), "not found");
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("the store answered invalid JSON", e);
    }
  }
}
