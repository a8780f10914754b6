package io.kvmguest.standalone.apiserver;

import io.fabric8.mockwebserver.http.MockResponse;

/** Successful responses with the content type clients decode by. */
final class Responses {
  private Responses() {
  }

  static MockResponse json(int code, String body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json").setBody(body);
  }

  static MockResponse bytes(int code, String contentType, byte[] body) {
    return new MockResponse().setResponseCode(code).setHeader("Content-Type", contentType).setBody(body);
  }
}
