package io.kvmguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One Kubernetes-style condition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GuestCondition(
    @JsonPropertyDescription("Kind of condition, for example Valid, Scheduled or Ready.")
    @Required
    String type,

    @JsonPropertyDescription("True, False or Unknown.")
    @Required
    String status,

    @JsonPropertyDescription("One CamelCase word saying why, for example InvalidSpec or NoNodeFits.")
    String reason,

    @JsonPropertyDescription("Human-readable detail.")
    String message,

    @JsonPropertyDescription("When status last changed, RFC 3339.")
    String lastTransitionTime,

    @JsonPropertyDescription("metadata.generation the condition was computed from.")
    Long observedGeneration) {}
