package io.kvmguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import io.kvmguest.api.validation.GuestValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in examples/ parses against the model without unknown fields and passes validation. */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("..", "examples");

  static Stream<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertFalse(yamls.isEmpty(), "no examples found in " + EXAMPLES.toAbsolutePath());
      return yamls.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("examples")
  void exampleParsesStrictlyAndIsValid(Path file) throws IOException {
    List<JsonNode> docs = StrictYaml.documents(Files.readString(file));
    List<JsonNode> guests = docs.stream().filter(d -> "VirtualGuest".equals(d.path("kind").asText())).toList();
    assertFalse(guests.isEmpty(), file + " holds no VirtualGuest");
    for (JsonNode doc : guests) {
      assertEquals(VirtualGuest.GROUP + "/" + VirtualGuest.VERSION, doc.path("apiVersion").asText(), file + ": apiVersion");
      VirtualGuest guest = StrictYaml.guest(doc);
      assertEquals(List.of(), GuestValidator.validate(guest), file + " should be valid");
    }
    for (JsonNode doc : docs) {
      assertTrue(Stream.of("VirtualGuest", "Secret").anyMatch(k -> k.equals(doc.path("kind").asText())),
          file + ": unexpected kind " + doc.path("kind"));
    }
  }
}
