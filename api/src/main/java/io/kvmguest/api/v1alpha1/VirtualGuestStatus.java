package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What is. The operator writes part of it and the node agent the rest: which side writes which
 * field and condition is {@link io.kvmguest.api.status.StatusOwnership}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualGuestStatus(
    @JsonPropertyDescription("Lifecycle phase: Pending (not yet placed), Scheduled (placed, not started), Starting, Running, Paused (qemu holds the guest paused, e.g. after a disk I/O error; see condition Ready), Stopping, Stopped, Succeeded (ran once and shut down), Failed (see condition Ready: a failed start, or CrashLoop), Unknown (its node stopped reporting).")
    @SchemaFrom(type = Enums.Phase.class)
    String phase,

    @JsonPropertyDescription("Node the guest is placed on.")
    String nodeName,

    @JsonPropertyDescription("metadata.generation of the spec this status reflects.")
    Long observedGeneration,

    @JsonPropertyDescription("Current observations: Valid (the spec passed validation), Scheduled (a node was chosen), Ready (the guest runs and its NICs are up), and others.")
    List<GuestCondition> conditions,

    @JsonPropertyDescription("Network interfaces as realized on the node, in spec order.")
    List<InterfaceStatus> interfaces,

    @JsonPropertyDescription("MAC address of every interface by interface name: the spec's, or one the operator generated. Kept for the guest's whole life, across stops, restarts and rescheduling.")
    Map<String, String> macAddresses,

    @JsonPropertyDescription("Where the VNC console listens, when enabled.")
    VncStatus vnc,

    @JsonPropertyDescription("Accelerator in use: kvm or tcg (software emulation).")
    String accelerator) {

  public VirtualGuestStatus {
    conditions = Lists.orEmpty(conditions);
    interfaces = Lists.orEmpty(interfaces);
    macAddresses = macAddresses == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(macAddresses));
  }

  /** An empty status, to build on. */
  public static VirtualGuestStatus empty() {
    return new VirtualGuestStatus(null, null, null, null, null, null, null, null);
  }

  public VirtualGuestStatus withPhase(String value) {
    return new VirtualGuestStatus(value, nodeName, observedGeneration, conditions, interfaces, macAddresses, vnc, accelerator);
  }

  public VirtualGuestStatus withConditions(List<GuestCondition> value) {
    return new VirtualGuestStatus(phase, nodeName, observedGeneration, value, interfaces, macAddresses, vnc, accelerator);
  }
}
