package io.kvmguest.agent.qemu;

import java.util.Arrays;

/** The emulated NIC, by its API name, and the qemu device that emulates it. */
public enum NicModel {
  VIRTIO("virtio", "virtio-net-pci"),
  E1000("e1000", "e1000"),
  RTL8139("rtl8139", "rtl8139"),
  E1000E("e1000e", "e1000e"),
  NE2K_PCI("ne2k_pci", "ne2k_pci"),
  PCNET("pcnet", "pcnet"),
  I82559ER("i82559er", "i82559er");

  private final String apiName;
  private final String qemuDevice;

  NicModel(String apiName, String qemuDevice) {
    this.apiName = apiName;
    this.qemuDevice = qemuDevice;
  }

  public String apiName() {
    return apiName;
  }

  /** The -device driver name, as listed under "Network devices:" in qemu -device help. */
  public String qemuDevice() {
    return qemuDevice;
  }

  public static NicModel fromApi(String name) {
    return Arrays.stream(values())
        .filter(m -> m.apiName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("NIC model \"" + name
            + "\" is not supported: use virtio, e1000, rtl8139, e1000e, ne2k_pci, pcnet or i82559er"));
  }
}
