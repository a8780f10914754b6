package io.kvmguest.api.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.v1alpha1.GuestCondition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00.123Z");

  private static GuestCondition condition(String type, String status, String reason) {
    return new GuestCondition(type, status, reason, null, null, 1L);
  }

  @Test
  void theTransitionTimeMovesOnlyWhenTheStatusValueChanges() {
    List<GuestCondition> first = Conditions.keepTransitionTimes(List.of(), List.of(condition("Ready", "False", "Stopped")), T0);
    List<GuestCondition> sameValue = Conditions.keepTransitionTimes(first, List.of(condition("Ready", "False", "Failed")), T1);
    List<GuestCondition> flipped = Conditions.keepTransitionTimes(sameValue, List.of(condition("Ready", "True", "Running")), T1);

    assertEquals("2026-01-01T00:00:00Z", sameValue.get(0).lastTransitionTime());
    assertEquals("Failed", sameValue.get(0).reason());
    assertEquals("2026-01-01T00:01:00Z", flipped.get(0).lastTransitionTime(), "whole seconds");
  }

  @Test
  void aWriterOfOneGenerationStampsItOnEveryCondition() {
    List<GuestCondition> stamped = Conditions.keepTransitionTimes(List.of(), List.of(condition("Ready", "True", "Running")), T0, 7L);

    assertEquals(7L, stamped.get(0).observedGeneration());
  }

  @Test
  void upsertReplacesInPlaceAppendsNewTypesAndKeepsTheRest() {
    List<GuestCondition> existing = Conditions.keepTransitionTimes(List.of(),
        List.of(condition("Ready", "True", "Running"), condition("Valid", "True", "Valid")), T0);

    List<GuestCondition> after = Conditions.upsert(existing, List.of(condition("Valid", "True", "StillValid"),
        condition("Scheduled", "True", "Scheduled")), T1);

    assertEquals(List.of("Ready", "Valid", "Scheduled"), after.stream().map(GuestCondition::type).toList());
    assertEquals(existing.get(0), after.get(0));
    assertEquals("StillValid", after.get(1).reason());
    assertEquals("2026-01-01T00:00:00Z", after.get(1).lastTransitionTime());
    assertEquals("2026-01-01T00:01:00Z", after.get(2).lastTransitionTime());
  }
}
