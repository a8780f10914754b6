package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where the VNC console is. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VncStatus(
    @JsonPropertyDescription("host:port a VNC client connects to.")
    String address) {}
