package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A host bridge the NIC's tap is attached to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BridgeNetwork(
    @JsonPropertyDescription("Name of the bridge on the node, for example br0. Defaults to the bridge the node agent is configured with.")
    String name) {}
