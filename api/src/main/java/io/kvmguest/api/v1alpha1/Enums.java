package io.kvmguest.api.v1alpha1;

import java.util.Arrays;
import java.util.List;

/**
 * Allowed values of the string-typed enumerated fields. The CRD generator reads these (through
 * {@code @SchemaFrom}) so the schema and the validator share one list; constants are spelled
 * exactly as the API spells them.
 */
public final class Enums {
  private Enums() {}

  public enum RunStrategy { Always, RerunOnFailure, Once, Manual, Halted }

  public enum Accelerator { auto, kvm, tcg }

  public enum NicModel { virtio, e1000, rtl8139, e1000e, ne2k_pci, pcnet, i82559er }

  public enum DiskBus { virtio, ide, scsi }

  public enum ImageFormat { qcow2, raw }

  public enum BootDevice { disk, cdrom, network }

  public enum Protocol { TCP, UDP }

  public enum Phase { Pending, Scheduled, Starting, Running, Stopping, Stopped, Succeeded, Failed, Unknown }

  /** The allowed spellings of an enum, in declaration order. */
  public static List<String> names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
  }

  /** Whether {@code value} is one of the allowed spellings (case-sensitive, as the API server checks). */
  public static boolean allows(Class<? extends Enum<?>> type, String value) {
    return value != null && names(type).contains(value);
  }
}
