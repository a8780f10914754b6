package io.kvmguest.standalone.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Secret writes as the API server treats them: stringData is write-only and lands base64-encoded in data. */
final class SecretData {
  private SecretData() {
  }

  static void foldStringData(ObjectNode secret) {
    if (!secret.path("stringData").isObject()) {
      secret.remove("stringData");
      return;
    }
    ObjectNode data = secret.path("data").isObject() ? (ObjectNode) secret.get("data") : secret.putObject("data");
    secret.get("stringData").properties().forEach(e -> data.put(e.getKey(),
        Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    secret.remove("stringData");
  }
}
