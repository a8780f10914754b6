package io.kvmguest.api.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Optional;

/** Quantity parsing that reports failure instead of throwing. */
public final class Quantities {
  private Quantities() {}

  /** Whole bytes, or 0 for an absent or unparseable quantity (one validation has already refused). */
  public static long byteCount(Quantity quantity) {
    return bytes(quantity).map(BigDecimal::longValue).orElse(0L);
  }

  /** The quantity in bytes, or empty when it does not parse. */
  public static Optional<BigDecimal> bytes(Quantity quantity) {
    if (quantity == null || quantity.getAmount() == null || quantity.getAmount().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(quantity.getNumericalAmount());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
