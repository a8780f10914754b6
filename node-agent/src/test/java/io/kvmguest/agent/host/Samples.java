package io.kvmguest.agent.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Host texts captured from real machines, under src/test/resources/golden/host/. */
final class Samples {
  private Samples() {}

  static String read(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/golden/host/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample golden/host/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
