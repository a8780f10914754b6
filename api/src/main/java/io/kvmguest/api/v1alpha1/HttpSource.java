package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** An image fetched over HTTP(S); the checksum is mandatory so that what runs is what was meant. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HttpSource(
    @JsonPropertyDescription("http:// or https:// address of the image.")
    @Required @Pattern("^https?://.+")
    String url,

    @JsonPropertyDescription("Expected SHA-256 of the downloaded file, 64 hexadecimal digits; the download is refused when it differs.")
    @Required @Pattern("^[0-9a-fA-F]{64}$")
    String sha256) {}
