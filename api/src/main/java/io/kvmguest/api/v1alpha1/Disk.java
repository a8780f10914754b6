package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A hard disk: exactly one of an image file kept by the agent or a host block device. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.image) != has(self.blockDevice)", message = "set exactly one of image or blockDevice")
public record Disk(
    @JsonPropertyDescription("Name of the disk, a DNS label unique among the guest's disks and cdroms.")
    @Required
    String name,

    @JsonPropertyDescription("Controller the disk hangs on: virtio (default, fastest; needs guest drivers), ide (works with any guest), scsi (virtio-scsi).")
    @SchemaFrom(type = Enums.DiskBus.class) @Default("virtio")
    String bus,

    @JsonPropertyDescription("Boot priority of this disk among all devices, 1 first (qemu bootindex); unique within the guest.")
    @Min(Limits.MIN_BOOT_ORDER)
    Integer bootOrder,

    @JsonPropertyDescription("An image file in the agent's state directory: created empty, cloned copy-on-write from a base image, or imported over HTTP.")
    DiskImage image,

    @JsonPropertyDescription("A host disk or partition passed through whole, like qemu -hda /dev/sdb1; the node agent allows only the devices its administrator listed.")
    BlockDevice blockDevice) {

  public Disk {
    bus = bus == null ? "virtio" : bus;
  }
}
