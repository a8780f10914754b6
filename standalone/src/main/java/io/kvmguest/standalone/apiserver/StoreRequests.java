package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;

/** Reading what a write request carries (JSON or Kubernetes protobuf body, selectors), and building store calls. */
final class StoreRequests {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreRequests() {
  }

  static FieldSelector fieldSelector(ApiRequest r) throws ApiException {
    String raw = r.param("fieldSelector");
    try {
      return raw == null ? null : FieldSelector.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(ApiErrors.badRequest(e.getMessage()), raw);
    }
  }

  static void refuseDryRun(ApiRequest r) throws ApiException {
    if (r.param("dryRun") != null) {
      throw new ApiException(ApiErrors.badRequest("dryRun is not supported by the embedded API server"), "dryRun");
    }
  }

  static JsonNode body(ApiRequest r) throws ApiException {
    if (r.contentType().startsWith(KubernetesProtobuf.CONTENT_TYPE)) {
      try {
        return KubernetesProtobuf.decode(r.bodyBytes());
      } catch (IllegalArgumentException e) {
        throw new ApiException(ApiErrors.unsupportedMediaType(e.getMessage()), r.contentType());
      }
    }
    try {
      JsonNode body = JSON.readTree(r.body());
      if (body == null || !body.isObject()) {
        throw new ApiException(ApiErrors.badRequest("the request body must be a JSON object"), r.path());
      }
      return body;
    } catch (JsonProcessingException e) {
      throw new ApiException(ApiErrors.badRequest("the request body is not valid JSON: " + e.getOriginalMessage()),
          r.path());
    }
  }

  static RecordedRequest request(HttpMethod method, String path, JsonNode body) {
    return new RecordedRequest("HTTP/1.1", method, path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
