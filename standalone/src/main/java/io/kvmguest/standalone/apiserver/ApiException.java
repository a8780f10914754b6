package io.kvmguest.standalone.apiserver;

import io.fabric8.mockwebserver.http.MockResponse;

/** A request the server refuses, carrying the Status response to send. */
final class ApiException extends Exception {
  private final transient MockResponse response;

  ApiException(MockResponse response, String message) {
    super(message);
    this.response = response;
  }

  MockResponse response() {
    return response;
  }
}
