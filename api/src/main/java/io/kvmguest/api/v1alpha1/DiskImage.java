package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Quantity;

/** A disk image file owned by the guest and kept in the node agent's state directory. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiskImage(
    @JsonPropertyDescription("Virtual size as a Kubernetes quantity, for example 10Gi. Required for an empty image; for a cloned or imported image it grows the disk to this size.")
    Quantity size,

    @JsonPropertyDescription("Image file format: qcow2 (default; sparse, allows copy-on-write over a base image) or raw.")
    @SchemaFrom(type = Enums.ImageFormat.class) @Default("qcow2")
    String format,

    @JsonPropertyDescription("Where the initial content comes from; omit it for an empty disk.")
    ImageSource source) {

  public DiskImage {
    format = format == null ? "qcow2" : format;
  }
}
