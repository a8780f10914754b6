package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A NIC as realized on the node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InterfaceStatus(
    @JsonPropertyDescription("Name of the interface in spec.interfaces.")
    String name,

    @JsonPropertyDescription("Emulated NIC model.")
    String model,

    @JsonPropertyDescription("MAC address in use: the one in the spec or the one generated for the guest, which never changes.")
    String macAddress,

    @JsonPropertyDescription("Host tap device of the NIC, when on a bridge.")
    String tap,

    @JsonPropertyDescription("Host bridge the tap is attached to.")
    String bridge,

    @JsonPropertyDescription("IPv4 address the guest obtained, learned from DHCP or the bridge's neighbour table.")
    String ipAddress) {}
