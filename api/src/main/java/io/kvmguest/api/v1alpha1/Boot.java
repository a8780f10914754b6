package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;

/** Boot order by device kind, as in qemu -boot order=..,once=.. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Boot(
    @JsonPropertyDescription("Device kinds to try in turn: disk, cdrom, network. Defaults to the firmware's order (disk first).")
    @SchemaFrom(type = Enums.BootDevice[].class)
    List<String> order,

    @JsonPropertyDescription("Device kind to boot from when qemu starts; once the guest reboots, order applies again (qemu -boot once). For example cdrom to install from an ISO.")
    @SchemaFrom(type = Enums.BootDevice.class)
    String once) {

  public Boot {
    order = Lists.orEmpty(order);
  }
}
