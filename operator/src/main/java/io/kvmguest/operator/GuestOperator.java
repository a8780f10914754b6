package io.kvmguest.operator;

import io.javaoperatorsdk.operator.Operator;
import io.kvmguest.api.kube.KubernetesGuestEvents;
import java.util.concurrent.atomic.AtomicBoolean;

/** The JOSDK operator running the VirtualGuest controller, and whether it is ready to serve. */
public final class GuestOperator {
  private final Operator operator;
  private final boolean leaderElection;
  private final AtomicBoolean leading;
  private final KubernetesGuestEvents events;

  GuestOperator(Operator operator, boolean leaderElection, AtomicBoolean leading, KubernetesGuestEvents events) {
    this.operator = operator;
    this.leaderElection = leaderElection;
    this.leading = leading;
    this.events = events;
  }

  public Operator jdkOperator() {
    return operator;
  }

  public void start() {
    operator.start();
  }

  /** Stops reconciling, then writes the Events still queued (briefly: the API server may be gone). */
  public void stop() {
    operator.stop();
    events.close();
  }

  /** Started, and with leader election on, holding the lease. */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted() && (!leaderElection || leading.get());
  }
}
