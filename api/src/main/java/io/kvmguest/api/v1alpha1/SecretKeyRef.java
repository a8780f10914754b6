package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the guest's own namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretKeyRef(
    @JsonPropertyDescription("Name of the Secret.")
    @Required
    String name,

    @JsonPropertyDescription("Key within the Secret (default password).")
    @Default("password")
    String key) {

  public SecretKeyRef {
    key = key == null ? "password" : key;
  }
}
