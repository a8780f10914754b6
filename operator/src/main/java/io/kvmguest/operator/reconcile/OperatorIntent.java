package io.kvmguest.operator.reconcile;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import java.util.Map;

/**
 * The operator-owned part of a guest's status, as decided by one reconcile. Null fields leave the
 * stored value alone. Applied to the latest stored status by {@link OperatorStatus}.
 *
 * @param unreachable with {@link PhaseIntent#UNKNOWN}: why the node counts as unreachable
 */
public record OperatorIntent(long generation, GuestCondition valid, GuestCondition scheduled, String nodeName,
    Map<String, String> macAddresses, PhaseIntent phase, String unreachable) {

  /**
   * The phase the operator asks for; whether it is written is StatusOwnership's rule (PENDING only
   * fills an absent phase, SCHEDULED replaces only Pending or Scheduled, UNKNOWN always applies).
   */
  public enum PhaseIntent { KEEP, PENDING, SCHEDULED, UNKNOWN }

  public static OperatorIntent invalid(long generation, String reason, String message) {
    return new OperatorIntent(generation, condition(ClusterContract.VALID_CONDITION, "False", reason, message, generation), null, null, null, PhaseIntent.PENDING, null);
  }

  public static OperatorIntent valid(long generation, Map<String, String> macAddresses) {
    return new OperatorIntent(generation, condition(ClusterContract.VALID_CONDITION, "True", "Valid", "spec is valid", generation), null, null, macAddresses, PhaseIntent.PENDING, null);
  }

  public OperatorIntent unschedulable(String reason, String message) {
    return new OperatorIntent(generation, valid, condition(ClusterContract.SCHEDULED_CONDITION, "False", reason, message, generation), nodeName, macAddresses, PhaseIntent.PENDING, null);
  }

  public OperatorIntent placed(String node) {
    return new OperatorIntent(generation, valid, condition(ClusterContract.SCHEDULED_CONDITION, "True", "Scheduled", "placed on node " + node, generation), node, macAddresses, PhaseIntent.SCHEDULED, null);
  }

  public OperatorIntent unreachable(String why) {
    return new OperatorIntent(generation, valid, scheduled, nodeName, macAddresses, PhaseIntent.UNKNOWN, why);
  }

  static GuestCondition condition(String type, String status, String reason, String message, long generation) {
    return new GuestCondition(type, status, reason, message, null, generation);
  }
}
