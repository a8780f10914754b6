package io.kvmguest.agent.runtime;

import io.kvmguest.api.kube.ClusterContract;
import java.util.Map;

/**
 * Whether a guest should be running now, from its runStrategy and what happened so far. Pure.
 *
 * <ul>
 *   <li>Always: yes, and again after every exit.
 *   <li>RerunOnFailure: yes, until the guest powers itself off; again after a crash.
 *   <li>Once: until the first exit, whatever its cause.
 *   <li>Manual: when annotation {@value ClusterContract#POWER_STATE_ANNOTATION} is {@code Running}; never restarted by itself.
 *   <li>Halted: no.
 * </ul>
 */
public final class RunPolicy {
  private RunPolicy() {}

  /** What happened to the guest's qemu before, on this node. */
  public record History(int exits, boolean lastExitByGuest) {
    public static final History NONE = new History(0, false);

    public History afterExit(boolean byGuest) {
      return new History(exits + 1, byGuest);
    }
  }

  public static boolean shouldRun(String runStrategy, Map<String, String> annotations, History history) {
    return switch (runStrategy) {
      case "Always" -> true;
      case "RerunOnFailure" -> history.exits() == 0 || !history.lastExitByGuest();
      case "Once" -> history.exits() == 0;
      case "Manual" -> "Running".equals(annotations.get(ClusterContract.POWER_STATE_ANNOTATION)) && history.exits() == 0;
      default -> false;
    };
  }

  /** The restart request a guest's annotations carry, or null. */
  public static String restartRequest(Map<String, String> annotations) {
    return annotations == null ? null : annotations.get(ClusterContract.RESTART_ANNOTATION);
  }

  /** Whether a running qemu, started under {@code startedUnder}, must be restarted for the guest's annotations. */
  public static boolean restartRequested(Map<String, String> annotations, String startedUnder) {
    String wanted = restartRequest(annotations);
    return wanted != null && !wanted.equals(startedUnder);
  }

  /** The phase of a guest that is not running and should not be. */
  public static String restingPhase(String runStrategy, History history) {
    if (history.exits() > 0 && ("Once".equals(runStrategy) || "RerunOnFailure".equals(runStrategy))) {
      return history.lastExitByGuest() ? "Succeeded" : "Failed";
    }
    return "Stopped";
  }
}
