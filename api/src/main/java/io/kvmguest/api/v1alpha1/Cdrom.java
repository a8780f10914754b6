package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** A CD-ROM drive with an ISO image in it, read-only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Cdrom(
    @JsonPropertyDescription("Name of the drive, a DNS label unique among the guest's disks and cdroms.")
    @Required
    String name,

    @JsonPropertyDescription("The ISO image: a path on the node (in a directory the agent allows) or an HTTP(S) download with its SHA-256.")
    @Required
    ImageSource iso,

    @JsonPropertyDescription("Boot priority of this drive among all devices, 1 first (qemu bootindex); unique within the guest.")
    @Min(Limits.MIN_BOOT_ORDER)
    Integer bootOrder) {}
