package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where an image comes from: exactly one of a path on the node or an HTTP(S) download. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.path) != has(self.http)", message = "set exactly one of path or http")
public record ImageSource(
    @JsonPropertyDescription("Absolute path of an image on the node; it must lie in a directory the node agent's administrator allowed. A disk uses it as a copy-on-write base and never writes to it.")
    String path,

    @JsonPropertyDescription("An image downloaded over HTTP(S) by the node agent and checked against its SHA-256.")
    HttpSource http) {}
