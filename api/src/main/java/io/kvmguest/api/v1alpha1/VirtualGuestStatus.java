package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;

/**
 * What is. The operator writes conditions Valid and Scheduled, nodeName and the MAC addresses;
 * the node agent writes phase, the runtime fields and condition Ready.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualGuestStatus(
    @JsonPropertyDescription("Lifecycle phase: Pending (not yet placed), Scheduled (placed, not started), Starting, Running, Stopping, Stopped, Succeeded (ran once and shut down), Failed, Unknown (its node stopped reporting).")
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

    @JsonPropertyDescription("Where the VNC console listens, when enabled.")
    VncStatus vnc,

    @JsonPropertyDescription("Accelerator in use: kvm or tcg (software emulation).")
    String accelerator) {

  public VirtualGuestStatus {
    conditions = Lists.orEmpty(conditions);
    interfaces = Lists.orEmpty(interfaces);
  }
}
