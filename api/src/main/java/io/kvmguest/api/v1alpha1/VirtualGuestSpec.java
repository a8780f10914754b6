package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user asks for. Enumerated fields are strings in Java so that a bad value reaches the
 * validator (and a clear condition) instead of failing deserialization; the CRD still lists the
 * allowed values for the API server.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualGuestSpec(
    @JsonPropertyDescription("When the guest should run: Always (default; restarted whenever it stops), RerunOnFailure (restarted only after a failure), Once (run to completion, never restarted), Manual (started and stopped only on request), Halted (kept stopped).")
    @SchemaFrom(type = Enums.RunStrategy.class) @Default("Always")
    String runStrategy,

    @JsonPropertyDescription("Number of virtual CPUs (qemu -smp), from 1 to 255.")
    @Min(1) @Max(Limits.MAX_CPUS) @Default("1")
    Integer cpus,

    @JsonPropertyDescription("Guest memory as a Kubernetes quantity (qemu -m), for example 512Mi or 4Gi; at least 16Mi.")
    @Required
    Quantity memory,

    @JsonPropertyDescription("CPU virtualization to use: auto (default; KVM where the node can run it, otherwise software emulation), kvm (refuse nodes without usable KVM), tcg (always software emulation).")
    @SchemaFrom(type = Enums.Accelerator.class) @Default("auto")
    String accelerator,

    @JsonPropertyDescription("Node labels the chosen node must carry, as in a Pod's nodeSelector.")
    Map<String, String> nodeSelector,

    @JsonPropertyDescription("Hard disks, each an image file the agent keeps or a host block device.")
    List<Disk> disks,

    @JsonPropertyDescription("CD-ROM drives, each holding an ISO image.")
    List<Cdrom> cdroms,

    @JsonPropertyDescription("Boot order by device kind (qemu -boot order=..,once=..); per-device bootOrder takes precedence.")
    Boot boot,

    @JsonPropertyDescription("Network interfaces (NICs), in the order the guest sees them.")
    List<NetworkInterface> interfaces,

    @JsonPropertyDescription("Graphical console over VNC.")
    Vnc vnc) {

  /** Defaults applied here too, because not every API server applies CRD defaults. */
  public VirtualGuestSpec {
    runStrategy = runStrategy == null ? "Always" : runStrategy;
    cpus = cpus == null ? 1 : cpus;
    accelerator = accelerator == null ? "auto" : accelerator;
    nodeSelector = nodeSelector == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
    disks = Lists.orEmpty(disks);
    cdroms = Lists.orEmpty(cdroms);
    interfaces = Lists.orEmpty(interfaces);
  }
}
