package io.kvmguest.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kvmguest.api.v1alpha1.VirtualGuest;
import java.io.IOException;
import java.util.List;

/** YAML reading that fails on fields the model does not know, as a typo check for examples. */
public final class StrictYaml {
  private StrictYaml() {}

  public static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Every document of a multi-document YAML text. */
  public static List<JsonNode> documents(String yaml) throws IOException {
    try (var parser = MAPPER.getFactory().createParser(yaml)) {
      return MAPPER.readValues(parser, JsonNode.class).readAll().stream().filter(n -> !n.isNull() && !n.isMissingNode()).toList();
    }
  }

  public static VirtualGuest guest(JsonNode document) throws IOException {
    return MAPPER.treeToValue(document, VirtualGuest.class);
  }
}
