package io.kvmguest.api.status;

import io.kvmguest.api.kube.ClusterContract;
import io.kvmguest.api.v1alpha1.GuestCondition;
import io.kvmguest.api.v1alpha1.VirtualGuestStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which side writes which part of a VirtualGuest's status (docs/cluster-contract.md, "Status
 * ownership"), and the merge both sides write with: my side's part from what I composed, the other
 * side's from the latest stored status. Stated once here so the operator and the node agent cannot
 * drift apart; each writes {@code merge(mySide, latest, mine)} guarded by the resourceVersion of
 * {@code latest}, so neither can undo the other's update. Pure.
 *
 * <p>Two parts are shared by rule rather than owned whole:
 * <ul>
 *   <li>phase: the agent's, except that the operator writes Pending and Scheduled while the agent
 *       has not reported (no phase, Pending or Scheduled), and Unknown when the node is unreachable;
 *   <li>conditions: each type has one owner ({@link ClusterContract#AGENT_CONDITION_TYPES} are the
 *       agent's, every other type the operator's), except that the operator may write Ready=Unknown
 *       with reason {@link ClusterContract#NODE_UNREACHABLE_REASON}, as the agent cannot say it itself.
 * </ul>
 */
public final class StatusOwnership {
  private StatusOwnership() {}

  public enum Side { OPERATOR, AGENT }

  /** The status fields that one side owns whole; {@code name} is the field's name in VirtualGuestStatus. */
  public enum Field {
    NODE_NAME("nodeName", Side.OPERATOR),
    OBSERVED_GENERATION("observedGeneration", Side.OPERATOR),
    MAC_ADDRESSES("macAddresses", Side.OPERATOR),
    INTERFACES("interfaces", Side.AGENT),
    VNC("vnc", Side.AGENT),
    ACCELERATOR("accelerator", Side.AGENT);

    public final String fieldName;
    public final Side owner;

    Field(String fieldName, Side owner) {
      this.fieldName = fieldName;
      this.owner = owner;
    }
  }

  /** The status fields shared by the rules above, by their name in VirtualGuestStatus. */
  public static final Set<String> SHARED_FIELDS = Set.of("phase", "conditions");

  /** Phases the operator writes; every other phase is the agent's. */
  public static final Set<String> OPERATOR_PHASES = Set.of("Pending", "Scheduled", "Unknown");

  /** Phases that mean the agent has not reported the guest yet (besides no phase at all). */
  private static final Set<String> BEFORE_AGENT = Set.of("Pending", "Scheduled");

  public static Side ownerOfCondition(String type) {
    return ClusterContract.AGENT_CONDITION_TYPES.contains(type) ? Side.AGENT : Side.OPERATOR;
  }

  /** Whether {@code side} may write {@code condition}: its own types, and for the operator Ready=Unknown NodeUnreachable. */
  public static boolean mayWrite(Side side, GuestCondition condition) {
    return ownerOfCondition(condition.type()) == side || (side == Side.OPERATOR && isNodeUnreachable(condition));
  }

  /** Ready=Unknown, reason NodeUnreachable: the one agent-type condition the operator writes. */
  public static boolean isNodeUnreachable(GuestCondition condition) {
    return ClusterContract.READY_CONDITION.equals(condition.type()) && "Unknown".equals(condition.status())
        && ClusterContract.NODE_UNREACHABLE_REASON.equals(condition.reason());
  }

  /** The status the node agent writes: its part from {@code agentPart}, the operator's from {@code latest}. */
  public static VirtualGuestStatus mergeAgent(VirtualGuestStatus latest, VirtualGuestStatus agentPart) {
    return merge(Side.AGENT, latest, agentPart);
  }

  /**
   * The status the operator writes: its part from {@code operatorPart}, the agent's from {@code
   * latest}. {@code operatorPart}'s phase is the one the operator asks for (null: none), applied as
   * the phase rule allows.
   */
  public static VirtualGuestStatus mergeOperator(VirtualGuestStatus latest, VirtualGuestStatus operatorPart) {
    return merge(Side.OPERATOR, latest, operatorPart);
  }

  /**
   * {@code latest} (may be null: no status yet) with {@code side}'s part replaced by that of {@code
   * mine}. What {@code mine} holds of the other side's part is ignored. {@code side}'s conditions
   * that {@code mine} no longer has are dropped; the others keep their place in the list, so a
   * rewrite of the same values is the same status (and needs no write).
   */
  public static VirtualGuestStatus merge(Side side, VirtualGuestStatus latest, VirtualGuestStatus mine) {
    VirtualGuestStatus base = latest == null ? VirtualGuestStatus.empty() : latest;
    Pick pick = new Pick(side, base, mine);
    return new VirtualGuestStatus(
        phase(side, base.phase(), mine.phase()),
        pick.of(Field.NODE_NAME, VirtualGuestStatus::nodeName),
        pick.of(Field.OBSERVED_GENERATION, VirtualGuestStatus::observedGeneration),
        conditions(side, base.conditions(), mine.conditions()),
        pick.of(Field.INTERFACES, VirtualGuestStatus::interfaces),
        pick.of(Field.MAC_ADDRESSES, VirtualGuestStatus::macAddresses),
        pick.of(Field.VNC, VirtualGuestStatus::vnc),
        pick.of(Field.ACCELERATOR, VirtualGuestStatus::accelerator));
  }

  /** A whole-owned field from the writer's status when the writer owns it, else from the latest. */
  private record Pick(Side side, VirtualGuestStatus base, VirtualGuestStatus mine) {
    <T> T of(Field field, Function<VirtualGuestStatus, T> value) {
      return value.apply(field.owner == side ? mine : base);
    }
  }

  private static String phase(Side side, String latest, String mine) {
    if (side == Side.AGENT) {
      return mine;
    }
    if (mine == null) {
      return latest;
    }
    boolean agentSilent = latest == null || BEFORE_AGENT.contains(latest);
    return switch (mine) {
      case "Unknown" -> mine;
      case "Pending" -> latest == null ? mine : latest;
      case "Scheduled" -> agentSilent ? mine : latest;
      default -> throw new IllegalArgumentException("phase " + mine + " is the agent's to write, not the operator's");
    };
  }

  private static List<GuestCondition> conditions(Side side, List<GuestCondition> latest, List<GuestCondition> mine) {
    List<GuestCondition> written = mine.stream().filter(c -> mayWrite(side, c)).toList();
    List<GuestCondition> result = new ArrayList<>();
    for (GuestCondition stored : latest) {
      Optional<GuestCondition> replacement = Conditions.find(written, stored.type());
      if (replacement.isPresent()) {
        result.add(replacement.get());
      } else if (ownerOfCondition(stored.type()) != side) {
        result.add(stored);
      }
    }
    written.stream().filter(c -> Conditions.find(latest, c.type()).isEmpty()).forEach(result::add);
    return result;
  }
}
