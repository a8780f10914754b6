package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A host block device given to the guest whole. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlockDevice(
    @JsonPropertyDescription("Absolute path of the device on the node, for example /dev/sdb1 or /dev/disk/by-id/...; it must be in the node agent's allowlist.")
    @Required
    String path) {}
