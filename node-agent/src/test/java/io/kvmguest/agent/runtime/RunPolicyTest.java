package io.kvmguest.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvmguest.api.kube.ClusterContract;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunPolicyTest {

  @ParameterizedTest(name = "{0} after {1} exits (last by guest: {2}) → run {3}, resting {4}")
  @CsvSource({
      "Always,         0, false, true,  Stopped",
      "Always,         3, true,  true,  Stopped",
      "RerunOnFailure, 0, false, true,  Stopped",
      "RerunOnFailure, 1, false, true,  Failed",
      "RerunOnFailure, 1, true,  false, Succeeded",
      "Once,           0, false, true,  Stopped",
      "Once,           1, true,  false, Succeeded",
      "Once,           1, false, false, Failed",
      "Halted,         0, false, false, Stopped",
      "Manual,         0, false, false, Stopped"})
  void decides(String strategy, int exits, boolean byGuest, boolean run, String resting) {
    RunPolicy.History history = new RunPolicy.History(exits, byGuest);
    assertEquals(run, RunPolicy.shouldRun(strategy, Map.of(), history));
    assertEquals(resting, RunPolicy.restingPhase(strategy, history));
  }

  @org.junit.jupiter.api.Test
  void aRestartRequestIsActedOnOncePerValue() {
    assertEquals(false, RunPolicy.restartRequested(Map.of(), null));
    assertEquals(true, RunPolicy.restartRequested(Map.of(ClusterContract.RESTART_ANNOTATION, "r1"), null));
    assertEquals(false, RunPolicy.restartRequested(Map.of(ClusterContract.RESTART_ANNOTATION, "r1"), "r1"));
    assertEquals(true, RunPolicy.restartRequested(Map.of(ClusterContract.RESTART_ANNOTATION, "r2"), "r1"));
  }

  @ParameterizedTest
  @CsvSource({"Running, 0, true", "Stopped, 0, false", "Running, 1, false"})
  void manualFollowsThePowerStateAnnotation(String powerState, int exits, boolean run) {
    assertEquals(run, RunPolicy.shouldRun("Manual", Map.of(ClusterContract.POWER_STATE_ANNOTATION, powerState),
        new RunPolicy.History(exits, false)));
  }
}
