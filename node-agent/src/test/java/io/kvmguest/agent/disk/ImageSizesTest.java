package io.kvmguest.agent.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class ImageSizesTest {
  @Test
  void quantitiesBecomeWholeSectors() {
    assertEquals(10L << 30, ImageSizes.bytes(new Quantity("10Gi"), "f"));
    assertEquals(1_000_448, ImageSizes.bytes(new Quantity("1M"), "f"), "1e6 rounded up to 1954 sectors");
    assertEquals(512, ImageSizes.bytes(new Quantity("0.5"), "f"));
  }

  @Test
  void nonPositiveOrAbsurdSizesAreRefusedNamingTheField() {
    StorageException e = assertThrows(StorageException.class, () -> ImageSizes.bytes(new Quantity("0"), "spec.disks[0].image.size"));
    assertEquals("spec.disks[0].image.size: \"0\" is not a positive size: use a quantity such as 10Gi", e.getMessage());
    assertThrows(StorageException.class, () -> ImageSizes.bytes(new Quantity("100Ei"), "f"));
  }
}
