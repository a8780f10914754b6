package io.kvmguest.agent.disk;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kvmguest.api.validation.Quantities;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Optional;

/** Disk sizes from Kubernetes quantities to what qemu-img accepts. */
final class ImageSizes {
  private ImageSizes() {}

  private static final BigInteger SECTOR = BigInteger.valueOf(512);

  /** Bytes, rounded up to whole 512-byte sectors as qemu-img does, so sizes compare equal later. */
  static long bytes(Quantity size, String field) {
    Optional<BigDecimal> bytes = Quantities.bytes(size);
    if (bytes.isEmpty() || bytes.get().signum() <= 0) {
      throw new StorageException(field + ": \"" + size + "\" is not a positive size: use a quantity such as 10Gi");
    }
    BigInteger whole = bytes.get().setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    BigInteger[] qr = whole.divideAndRemainder(SECTOR);
    BigInteger rounded = qr[1].signum() == 0 ? whole : qr[0].add(BigInteger.ONE).multiply(SECTOR);
    if (rounded.bitLength() > 62) {
      throw new StorageException(field + ": \"" + size + "\" is too large for a disk image");
    }
    return rounded.longValueExact();
  }
}
