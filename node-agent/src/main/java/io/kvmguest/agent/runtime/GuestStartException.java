package io.kvmguest.agent.runtime;

/**
 * A guest could not be started; nothing it needed was left behind. {@code reason} is a
 * CamelCase condition reason, the message says what was wrong and what to do.
 */
public final class GuestStartException extends RuntimeException {
  private final String reason;
  private final boolean permanent;

  public GuestStartException(String reason, String message, boolean permanent) {
    super(message);
    this.reason = reason;
    this.permanent = permanent;
  }

  public String reason() {
    return reason;
  }

  /** True when retrying without a spec change cannot help (invalid spec, refused path). */
  public boolean permanent() {
    return permanent;
  }
}
