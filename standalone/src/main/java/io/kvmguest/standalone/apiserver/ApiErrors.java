package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

/** Kubernetes {@code Status} failure responses, the shape kubectl and client libraries print. */
final class ApiErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiErrors() {
  }

  static MockResponse notFound(String message) {
    return status(404, "NotFound", message);
  }

  /** What kube-apiserver answers a request whose credentials it does not accept. */
  static MockResponse unauthorized() {
    return status(401, "Unauthorized", "Unauthorized");
  }

  static MockResponse conflict(String message) {
    return status(409, "Conflict", message);
  }

  static MockResponse invalid(String message) {
    return status(422, "Invalid", message);
  }

  static MockResponse badRequest(String message) {
    return status(400, "BadRequest", message);
  }

  static MockResponse unsupportedMediaType(String message) {
    return status(415, "UnsupportedMediaType", message);
  }

  static MockResponse notAcceptable(String message) {
    return status(406, "NotAcceptable", message);
  }

  static MockResponse internal(String message) {
    return status(500, "InternalError", message);
  }

  static MockResponse status(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return Responses.json(code, status.toString());
  }
}
