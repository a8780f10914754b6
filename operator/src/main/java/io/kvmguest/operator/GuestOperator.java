package io.kvmguest.operator;

import io.javaoperatorsdk.operator.Operator;
import java.util.concurrent.atomic.AtomicBoolean;

/** The JOSDK operator running the VirtualGuest controller, and whether it is ready to serve. */
public final class GuestOperator {
  private final Operator operator;
  private final boolean leaderElection;
  private final AtomicBoolean leading;

  GuestOperator(Operator operator, boolean leaderElection, AtomicBoolean leading) {
    this.operator = operator;
    this.leaderElection = leaderElection;
    this.leading = leading;
  }

  public Operator jdkOperator() {
    return operator;
  }

  public void start() {
    operator.start();
  }

  public void stop() {
    operator.stop();
  }

  /** Started, and with leader election on, holding the lease. */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted() && (!leaderElection || leading.get());
  }
}
