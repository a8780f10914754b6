package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Exactly one kind of network for a NIC. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.bridge) && has(self.user))", message = "set at most one of bridge or user")
public record Network(
    @JsonPropertyDescription("A tap device on a host bridge: the guest is on the bridge's LAN and reachable from it.")
    BridgeNetwork bridge,

    @JsonPropertyDescription("qemu user-mode networking (slirp), isolated both ways: the guest cannot open connections (not to the node, whose loopback slirp would expose, nor beyond it), and only forwarded ports reach it. A guest that needs outbound traffic goes on a bridge.")
    UserNetwork user) {}
